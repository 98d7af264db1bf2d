using System.Globalization;
using System.Text;
using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>Options for <see cref="ToneSynth"/>.</summary>
public sealed record ToneSynthOptions
{
    public int ClipsPerPitch { get; init; } = 20;
    public int SampleRate { get; init; } = 16000;
    public int Length { get; init; } = 16384;
    public ulong Seed { get; init; } = 1;
}

/// <summary>The parameters a tone was made with (all times in seconds).</summary>
public sealed record ToneParameters(string Timbre, double Onset, double Attack, double Decay, double Sustain, double Release, double NoteLength, double Peak);

/// <summary>One synthetic note: pitch class <see cref="PitchIndex"/> (its label) at <see cref="Frequency"/> Hz.</summary>
public sealed record ToneClip(string Name, int PitchIndex, double Frequency, ToneParameters Parameters, float[] Samples);

/// <summary>
/// Synthetic notes at 8 known pitches (130.81 … 880 Hz) with ADSR envelopes and four timbres (sine, harmonic,
/// odd-harmonic, bright; the fundamental is always the strongest partial), seeded. Pitch classes play the
/// role of genres (<c>p130.81hz</c>, …; sorted names = ascending pitch = label index), so a generator trained on
/// them should produce clips whose dominant frequency is one of <see cref="Pitches"/>.
/// </summary>
public static class ToneSynth
{
    public static readonly IReadOnlyList<double> Pitches = [130.81, 196.00, 261.63, 329.63, 392.00, 523.25, 659.26, 880.00];

    public static readonly IReadOnlyList<string> Timbres = ["sine", "harmonic", "odd", "bright"];

    /// <summary>Folder (genre) name of a pitch, e.g. "p130.81hz".</summary>
    public static string PitchName(double frequency) => "p" + frequency.ToString("F2", CultureInfo.InvariantCulture) + "hz";

    public static IReadOnlyList<string> PitchNames => Pitches.Select(PitchName).ToArray();

    /// <summary>Relative amplitudes of partials 1, 2, … for a timbre (first is 1 and the largest).</summary>
    public static double[] Partials(string timbre) => timbre switch
    {
        "sine" => [1],
        "harmonic" => Enumerable.Range(1, 8).Select(k => 1.0 / k).ToArray(),
        "odd" => Enumerable.Range(1, 8).Select(k => k % 2 == 1 ? 1.0 / k : 0).ToArray(),
        "bright" => Enumerable.Range(1, 10).Select(k => k == 1 ? 1.0 : 0.85 * Math.Pow(0.88, k - 2)).ToArray(),
        _ => throw new ArgumentException($"unknown timbre '{timbre}'", nameof(timbre)),
    };

    /// <summary>All clips, pitch-major, in memory.</summary>
    public static IReadOnlyList<ToneClip> Generate(ToneSynthOptions o)
    {
        if (o.ClipsPerPitch <= 0 || o.SampleRate <= 0 || o.Length <= 0)
            throw new DatasetException("tone synthesis needs positive --count, sample rate and length");
        var clips = new List<ToneClip>();
        for (int p = 0; p < Pitches.Count; p++)
            for (int i = 0; i < o.ClipsPerPitch; i++)
            {
                var rng = new SeededRandom(SeededRandom.Mix(o.Seed, (ulong)p, (ulong)i));
                string timbre = Timbres[(i + p) % Timbres.Count];
                var prm = RandomParameters(ref rng, timbre, (double)o.Length / o.SampleRate);
                var samples = Render(Pitches[p], prm, o.SampleRate, o.Length, ref rng);
                clips.Add(new ToneClip($"{PitchName(Pitches[p])}.{i:D5}", p, Pitches[p], prm, samples));
            }
        return clips;
    }

    /// <summary>The tones as an in-memory dataset (genres = pitch names), e.g. for a demo training run without files.</summary>
    public static AudioDataset GenerateDataset(ToneSynthOptions o) =>
        new(PitchNames, o.SampleRate, Generate(o).Select(c => new Clip(c.Name, c.PitchIndex, c.Samples)).ToArray());

    /// <summary>Writes <c>genres_original/&lt;pitch&gt;/&lt;pitch&gt;.000NN.wav</c> (16-bit) and <c>labels.csv</c>; returns the clip count.</summary>
    public static int Write(string outDir, ToneSynthOptions o)
    {
        var clips = Generate(o);
        var csv = new StringBuilder("file,pitch,freq_hz,timbre,onset_s,attack_s,decay_s,sustain,release_s,note_s,peak\n");
        foreach (var c in clips)
        {
            string pitch = PitchName(c.Frequency);
            string rel = $"genres_original/{pitch}/{c.Name}.wav";
            WavWriter.Write(Path.Combine(outDir, rel), c.Samples, o.SampleRate);
            var q = c.Parameters;
            csv.Append(CultureInfo.InvariantCulture, $"{rel},{pitch},{c.Frequency:F2},{q.Timbre},{q.Onset:F4},{q.Attack:F4},{q.Decay:F4},{q.Sustain:F3},{q.Release:F4},{q.NoteLength:F4},{q.Peak:F3}\n");
        }
        WavWriter.WriteBytes(Path.Combine(outDir, "labels.csv"), Encoding.UTF8.GetBytes(csv.ToString()));
        return clips.Count;
    }

    private static ToneParameters RandomParameters(ref SeededRandom rng, string timbre, double duration)
    {
        double onset = rng.Uniform(0, 0.06), attack = rng.Uniform(0.005, 0.06), decay = rng.Uniform(0.05, 0.2);
        double sustain = rng.Uniform(0.35, 0.8), note = rng.Uniform(0.45, 0.7) * duration / 1.024, release = rng.Uniform(0.08, 0.3);
        note = Math.Max(note, attack + decay);
        release = Math.Max(0.001, Math.Min(release, duration - onset - note - 0.001));
        return new ToneParameters(timbre, onset, attack, decay, sustain, release, note, rng.Uniform(0.5, 0.9));
    }

    /// <summary>ADSR gain at time <paramref name="t"/> after the onset.</summary>
    public static double Envelope(ToneParameters p, double t)
    {
        if (t < 0) return 0;
        if (t < p.Attack) return t / p.Attack;
        double level = t < p.Attack + p.Decay ? 1 - (1 - p.Sustain) * (t - p.Attack) / p.Decay : p.Sustain;
        if (t < p.NoteLength) return level;
        double r = (t - p.NoteLength) / p.Release;
        return r >= 1 ? 0 : p.Sustain * (1 - r);
    }

    private static float[] Render(double f0, ToneParameters p, int rate, int length, ref SeededRandom rng)
    {
        var amps = Partials(p.Timbre);
        var phases = new double[amps.Length];
        for (int k = 0; k < phases.Length; k++) phases[k] = rng.Uniform(0, 2 * Math.PI);
        var x = new double[length];
        double peak = 0;
        for (int n = 0; n < length; n++)
        {
            double t = (double)n / rate, env = Envelope(p, t - p.Onset);
            if (env == 0) continue;
            double s = 0;
            for (int k = 0; k < amps.Length; k++)
                if (amps[k] > 0 && f0 * (k + 1) < 0.45 * rate) s += amps[k] * Math.Sin(2 * Math.PI * f0 * (k + 1) * t + phases[k]);
            x[n] = env * s;
            peak = Math.Max(peak, Math.Abs(x[n]));
        }
        var y = new float[length];
        double g = peak > 0 ? p.Peak / peak : 0;
        for (int n = 0; n < length; n++) y[n] = (float)(x[n] * g);
        return y;
    }
}
