using System.CommandLine;
using GanAudio.App.Data;

namespace GanAudio.App.Cli;

/// <summary>`GanApp data synth --kind tones --out &lt;dir&gt;`: a synthetic dataset in GTZAN's layout.</summary>
internal static class DataSynthCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "What to synthesise: tones (notes at 8 known pitches, one folder per pitch).", Required = true };
        kind.AcceptOnlyFromAmong("tones");
        var outDir = new Option<string>("--out") { Description = "Output folder; genres_original/<pitch>/… and labels.csv are written there.", Required = true };
        var count = new Option<int>("--count") { Description = "Clips per pitch.", DefaultValueFactory = _ => 20 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same files).", DefaultValueFactory = _ => 1UL };
        var rate = new Option<int>("--sample-rate") { Description = "Sample rate (Hz).", DefaultValueFactory = _ => 16000 };
        var length = new Option<int>("--length") { Description = "Samples per clip.", DefaultValueFactory = _ => 16384 };
        var cmd = new Command("synth", "Write a synthetic dataset in GTZAN's layout (usable as training data and for quality checks).")
        {
            kind, outDir, count, seed, rate, length,
        };
        cmd.SetAction(p => DataCommand.Guard(p, (o, _) =>
        {
            var opts = new ToneSynthOptions { ClipsPerPitch = p.GetValue(count), Seed = p.GetValue(seed), SampleRate = p.GetValue(rate), Length = p.GetValue(length) };
            if (opts.ClipsPerPitch <= 0) throw new DataUsageException($"--count {opts.ClipsPerPitch} must be positive");
            if (opts.SampleRate is <= 0 or > 1_000_000) throw new DataUsageException($"--sample-rate {opts.SampleRate} must be between 1 and 1000000");
            if (opts.Length <= 0) throw new DataUsageException($"--length {opts.Length} must be positive");
            string dir = p.GetValue(outDir)!;
            int n = ToneSynth.Write(dir, opts);
            o.WriteLine($"wrote {n} tone clips ({ToneSynth.Pitches.Count} pitches × {opts.ClipsPerPitch}, {opts.SampleRate} Hz, {opts.Length} samples) to {Path.Combine(dir, "genres_original")}, labels in {Path.Combine(dir, "labels.csv")}");
            return 0;
        }));
        return cmd;
    }
}
