using System.Globalization;
using System.Text;
using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>Options for <see cref="DigitSynth"/>.</summary>
public sealed record DigitSynthOptions
{
    public int Voices { get; init; } = 30;
    public int SampleRate { get; init; } = 16000;
    /// <summary>Samples per clip: 16384 by default, WaveGAN's output length (it pads SC09's 16000-sample clips to 16384),
    /// so the generator's clips, the classifier's segments and these clips have the same length.</summary>
    public int Length { get; init; } = 16384;
    public ulong Seed { get; init; } = 1;
    /// <summary>Peak level of each clip after normalisation.</summary>
    public double Peak { get; init; } = 0.9;
    /// <summary>The espeak-ng program (a name looked up on the PATH, or a path).</summary>
    public string Program { get; init; } = EspeakNg.Program;
}

/// <summary>One speaker of the set: its name (<c>voice07</c>) and espeak-ng settings.</summary>
public sealed record DigitSpeaker(string Name, EspeakVoice Voice);

/// <summary>
/// A Speech-Commands/SC09-style set made with espeak-ng: the ten words zero … nine spoken by seeded speakers (an accent ×
/// variant of espeak-ng, each used once, with its own pitch, speed and amplitude), each clip resampled to the set's rate,
/// its leading and trailing silence trimmed, the word placed near the centre of a clip of <see cref="DigitSynthOptions.Length"/>
/// samples with a random offset, and peak-normalised. Layout: <c>DIR/&lt;word&gt;/voiceNN_nohash_0.wav</c> (Speech
/// Commands' naming: the speaker before <c>_nohash_</c>) and <c>DIR/labels.csv</c> (file, word, voice and the settings).
/// </summary>
public static class DigitSynth
{
    public static readonly IReadOnlyList<string> Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>espeak-ng's English accents and voice variants; a speaker is one (accent, variant) pair.</summary>
    public static readonly IReadOnlyList<string> Accents = ["en", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];

    public static readonly IReadOnlyList<string> Variants = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5"];

    public static int MaxVoices => Accents.Count * Variants.Count;

    /// <summary>The speakers: distinct (accent, variant) pairs in a seeded order, pitch 20–80, speed 120–180 words per
    /// minute, amplitude 80–160.</summary>
    public static IReadOnlyList<DigitSpeaker> Speakers(int count, ulong seed)
    {
        if (count < 1 || count > MaxVoices) throw new DatasetException($"--voices {count}: use 1 to {MaxVoices}") { IsUsageError = true };
        var pairs = Accents.SelectMany(a => Variants.Select(v => $"{a}+{v}")).ToArray();
        var rng = new SeededRandom(SeededRandom.Mix(seed, 0x5bea_4e55UL));
        for (int i = pairs.Length - 1; i > 0; i--)
        {
            int j = (int)rng.NextLong(i + 1);
            (pairs[i], pairs[j]) = (pairs[j], pairs[i]);
        }
        var list = new List<DigitSpeaker>();
        for (int i = 0; i < count; i++)
            list.Add(new DigitSpeaker($"voice{i:D2}", new EspeakVoice(pairs[i], 20 + (int)rng.NextLong(61), 120 + (int)rng.NextLong(61), 80 + (int)rng.NextLong(81))));
        return list;
    }

    /// <summary>Relative path of a clip: <c>&lt;word&gt;/&lt;voice&gt;_nohash_0.wav</c>.</summary>
    public static string FileName(string word, string voice) => $"{word}/{voice}_nohash_0.wav";

    /// <summary>Writes the set into <paramref name="outDir"/>; returns the clip count. Needs espeak-ng (a
    /// <see cref="DatasetException"/> says how to install it when it is missing).</summary>
    public static int Write(string outDir, DigitSynthOptions o, Action<string>? log = null)
    {
        if (o.SampleRate is < 8000 or > 192000) throw new DatasetException($"--sample-rate {o.SampleRate}: use 8000 to 192000 Hz") { IsUsageError = true };
        if (o.Length < o.SampleRate / 4) throw new DatasetException($"--length {o.Length}: use at least {o.SampleRate / 4} samples (0.25 s)") { IsUsageError = true };
        var speakers = Speakers(o.Voices, o.Seed);
        if (EspeakNg.Unavailable(o.Program) is string why) throw new DatasetException(why);
        var jobs = speakers.SelectMany(s => Words.Select(w => (Speaker: s, Word: w))).ToArray();
        var offsets = new double[jobs.Length];
        var errors = new Exception?[jobs.Length];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
        {
            try
            {
                var (s, w) = jobs[i];
                var (raw, rate) = EspeakNg.Speak(w, s.Voice, o.Program);
                var x = Resampler.Resample(raw, rate, o.SampleRate);
                var rng = new SeededRandom(SeededRandom.Mix(o.Seed, 0xd161_7UL, (ulong)i));
                var clip = Place(x, o.Length, o.SampleRate, o.Peak, ref rng, out int start);
                offsets[i] = (double)start / o.SampleRate;
                WavWriter.Write(Path.Combine(outDir, FileName(w, s.Name)), clip, o.SampleRate);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is Exception first)
            throw first is DatasetException or IOException or UnauthorizedAccessException ? first : new DatasetException(first.Message);
        var csv = new StringBuilder("file,word,voice,espeak_voice,pitch,speed,amplitude,onset_s\n");
        for (int i = 0; i < jobs.Length; i++)
        {
            var (s, w) = jobs[i];
            csv.Append(CultureInfo.InvariantCulture, $"{FileName(w, s.Name)},{w},{s.Name},{s.Voice.Voice},{s.Voice.Pitch},{s.Voice.Speed},{s.Voice.Amplitude},{offsets[i]:F4}\n");
        }
        WavWriter.WriteBytes(Path.Combine(outDir, "labels.csv"), Encoding.UTF8.GetBytes(csv.ToString()));
        log?.Invoke($"{speakers.Count} voices: " + string.Join(", ", speakers.Select(s => $"{s.Name} {s.Voice.Voice} p{s.Voice.Pitch} s{s.Voice.Speed}")));
        return jobs.Length;
    }

    /// <summary>The word of <paramref name="x"/> (from the first to the last 10 ms frame within 40 dB of the loudest) placed in
    /// a clip of <paramref name="length"/> samples: centred, moved by a random offset of up to a quarter of the spare room
    /// either way (a word longer than the clip keeps its start and is cut), then scaled to peak <paramref name="peak"/>.
    /// <paramref name="start"/> is where the word begins in the clip.</summary>
    public static float[] Place(float[] x, int length, int sampleRate, double peak, ref SeededRandom rng, out int start)
    {
        var (from, to) = WordExtent(x, sampleRate);
        int n = Math.Min(to - from, length), spare = length - n;
        start = spare / 2 + (int)Math.Round(rng.Uniform(-0.25, 0.25) * spare);
        start = Math.Clamp(start, 0, spare);
        var y = new float[length];
        Array.Copy(x, from, y, start, n);
        float max = 0;
        foreach (var v in y) max = Math.Max(max, Math.Abs(v));
        if (max > 0)
            for (int i = 0; i < y.Length; i++) y[i] = (float)(y[i] * peak / max);
        return y;
    }

    /// <summary>[first, end) sample range of the 10 ms frames whose RMS is within 40 dB of the loudest frame's.</summary>
    public static (int From, int To) WordExtent(float[] x, int sampleRate)
    {
        int frame = Math.Max(1, sampleRate / 100), frames = (x.Length + frame - 1) / frame;
        var rms = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            double s = 0;
            int a = f * frame, b = Math.Min(x.Length, a + frame);
            for (int i = a; i < b; i++) s += x[i] * (double)x[i];
            rms[f] = Math.Sqrt(s / Math.Max(1, b - a));
        }
        double loud = rms.Length == 0 ? 0 : rms.Max(), floor = loud * 0.01; // −40 dB
        if (loud == 0) return (0, 0);
        int first = Array.FindIndex(rms, r => r >= floor), last = Array.FindLastIndex(rms, r => r >= floor);
        return (first * frame, Math.Min(x.Length, (last + 1) * frame));
    }
}
