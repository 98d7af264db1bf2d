using GanAudio.App.Audio;
using GanAudio.App.Evaluation;
using GanAudio.App.Training;

namespace GanAudio.Bench;

/// <summary>`pitch &lt;folder&gt;`: dominant-frequency precision/recall of the WAV files in a folder against the demo's eight
/// pitches, next to the same figures for uniform noise and for the demo's training tones.</summary>
public sealed class PitchSuite : IBenchSuite
{
    public string Name => "pitch";

    public string Description => "pitch <wav folder>: dominant-frequency precision/recall vs the demo pitches, with noise and real baselines";

    public int Run(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: pitch <folder of .wav files>");
            return 2;
        }
        var clips = Directory.GetFiles(args[0], "*.wav", SearchOption.AllDirectories).Order()
            .Select(f => AudioFile.Read(f)).ToList();
        int sr = clips.Count > 0 ? clips[0].SampleRate : 16000;
        var gen = clips.Select(c => c.Channels[0]).ToList();
        var rng = new Random(1);
        var noise = gen.Select(c => Enumerable.Range(0, c.Length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToList();
        var real = GanAudio.App.Data.ToneSynth.Generate(new GanAudio.App.Data.ToneSynthOptions { ClipsPerPitch = 8 }).Select(c => c.Samples).ToList();
        Report("generated", gen, sr);
        Report("uniform noise", noise, sr);
        Report("training tones", real, 16000);
        return 0;
    }

    private static void Report(string name, IReadOnlyList<float[]> clips, int sr)
    {
        var r = PitchMetrics.Evaluate(clips, sr, GanAudio.App.Data.ToneSynth.Pitches);
        double flat = clips.Count == 0 ? 0 : clips.Average(c => PitchMetrics.SpectralFlatness(c));
        var freqs = string.Join(" ", r.Frequencies.Take(12).Select(f => f.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)));
        Console.WriteLine($"{name,-16} clips {r.Clips,4}  precision {r.Precision:P1}  recall {r.Recall:P0} ({r.HitsPerPitch.Count(h => h > 0)}/8 pitches)  spectral flatness {flat:F3}  dominant Hz: {freqs}");
    }
}
