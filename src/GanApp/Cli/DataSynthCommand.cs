using System.CommandLine;
using GanAudio.App.Data;

namespace GanAudio.App.Cli;

/// <summary>`GanApp data synth --kind tones|digits --out &lt;dir&gt;`: a synthetic dataset, one folder per class.</summary>
internal static class DataSynthCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "What to synthesise: tones (notes at 8 known pitches, one folder per pitch) or digits (the words zero … nine spoken by espeak-ng voices, one folder per word, Speech Commands style).", Required = true };
        kind.AcceptOnlyFromAmong("tones", "digits");
        var outDir = new Option<string>("--out") { Description = "Output folder; tones: genres_original/<pitch>/…, digits: <word>/<voice>_nohash_0.wav; labels.csv beside them.", Required = true };
        var count = new Option<int>("--count") { Description = "Tones: clips per pitch.", DefaultValueFactory = _ => 20 };
        var voices = new Option<int>("--voices") { Description = $"Digits: speakers (distinct espeak-ng voices with their own pitch and speed; 1 to {DigitSynth.MaxVoices}).", DefaultValueFactory = _ => new DigitSynthOptions().Voices };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same files).", DefaultValueFactory = _ => 1UL };
        var rate = new Option<int>("--sample-rate") { Description = "Sample rate (Hz).", DefaultValueFactory = _ => 16000 };
        var length = new Option<int>("--length") { Description = "Samples per clip.", DefaultValueFactory = _ => 16384 };
        var cmd = new Command("synth", "Write a synthetic dataset in GTZAN's layout (usable as training data and for quality checks).")
        {
            kind, outDir, count, voices, seed, rate, length,
        };
        cmd.SetAction(p => DataCommand.Guard(p, (o, _) =>
        {
            if (p.GetValue(kind) == "digits") return WriteDigits(p, o, outDir, voices, seed, rate, length);
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

    private static int WriteDigits(ParseResult p, TextWriter o, Option<string> outDir, Option<int> voices, Option<ulong> seed, Option<int> rate, Option<int> length)
    {
        var opts = new DigitSynthOptions { Voices = p.GetValue(voices), Seed = p.GetValue(seed), SampleRate = p.GetValue(rate), Length = p.GetValue(length) };
        string dir = p.GetValue(outDir)!;
        int n = DigitSynth.Write(dir, opts);
        o.WriteLine($"wrote {n} clips ({DigitSynth.Words.Count} words × {opts.Voices} voices, {opts.SampleRate} Hz, {opts.Length} samples) to {Path.GetFullPath(dir)}/<word>/, labels in {Path.Combine(dir, "labels.csv")}");
        return 0;
    }
}
