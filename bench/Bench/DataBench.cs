using System.Diagnostics;
using GanAudio.App.Audio;
using GanAudio.App.Data;

namespace GanAudio.Bench;

/// <summary>
/// Load, resample and segment a GTZAN-sized folder (default 100 clips × 30 s, 22050 Hz 16-bit, 10 genres),
/// cold (no cache), while writing the cache, and from the cache.
/// `dotnet run -c Release --project bench/Bench -- data [--clips N] [--seconds S] [--dir existing-folder]`.
/// </summary>
public sealed class DataBench : IBenchSuite
{
    public string Name => "data";

    public string Description => "dataset pipeline: decode + resample + segment 100 × 30 s clips, cold vs cached";

    public int Run(string[] args)
    {
        int clips = IntArg(args, "--clips", 100);
        double seconds = IntArg(args, "--seconds", 30);
        string? given = StrArg(args, "--dir");
        string work = Directory.CreateTempSubdirectory("ganaudio-databench-").FullName;
        try
        {
            string root = given ?? Path.Combine(work, "gtzan");
            if (given is null) MakeFolder(root, clips, seconds);
            var options = new DatasetOptions { CacheDirectory = Path.Combine(work, "cache") };
            Console.WriteLine($"data: {root}, {Environment.ProcessorCount} cores, target {options.SampleRate} Hz, segments of {options.SegmentLength}");

            // warm up the JIT and the filter table on one file
            Resampler.Resample(new float[22050], 22050, options.SampleRate);

            var cold = Time(() => Pipeline(root, options with { UseCache = false }));
            var writing = Time(() => Pipeline(root, options));
            var cached = Time(() => Pipeline(root, options));
            long bytes = Directory.GetFiles(options.CacheDirectory!).Sum(f => new FileInfo(f).Length);

            var ds = AudioDataset.Load(root, options);
            double audioSeconds = ds.Clips.Sum(c => c.Samples.Length) / (double)ds.SampleRate;
            var mono = ds.Clips[0].Samples;
            var input = Resampler.Resample(mono, 16000, 22050);
            var rs = Time(() => { Resampler.Resample(input, 22050, 16000, parallel: false); return 0; });

            Console.WriteLine($"{ds.Clips.Count} clips, {audioSeconds:F0} s of audio, {cold.Result} segments");
            Console.WriteLine($"  cold (decode + resample + segment, no cache) {cold.Seconds,8:F3} s   {audioSeconds / cold.Seconds,8:F0}× real time");
            Console.WriteLine($"  cold + writing the cache                     {writing.Seconds,8:F3} s   cache {bytes / 1e6:F1} MB");
            Console.WriteLine($"  from the cache                               {cached.Seconds,8:F3} s   {bytes / 1e6 / cached.Seconds:F0} MB/s");
            Console.WriteLine($"  resampler alone, 1 core, 22050 → 16000        {input.Length / rs.Seconds / 1e6,8:F1} M input samples/s ({new Resampler(22050, 16000).Taps} taps)");
            return 0;
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    private static int Pipeline(string root, DatasetOptions o) => new SegmentedDataset(AudioDataset.Load(root, o), o).Count;

    private static (double Seconds, T Result) Time<T>(Func<T> f)
    {
        var sw = Stopwatch.StartNew();
        var r = f();
        return (sw.Elapsed.TotalSeconds, r);
    }

    private static void MakeFolder(string root, int clips, double seconds)
    {
        const int rate = 22050;
        int n = (int)(seconds * rate);
        Parallel.For(0, clips, i =>
        {
            string genre = $"genre{i % 10}";
            var rng = new Random(i);
            var x = new float[n + rng.Next(0, rate / 10)]; // lengths vary a little, as in GTZAN
            double f = 110 * (1 + i % 7);
            for (int t = 0; t < x.Length; t++)
                x[t] = (float)(0.3 * Math.Sin(2 * Math.PI * f * t / rate) + 0.1 * Math.Sin(2 * Math.PI * 3.01 * f * t / rate) + 0.05 * (rng.NextDouble() - 0.5));
            WavWriter.Write(Path.Combine(root, "genres_original", genre, $"{genre}.{i / 10:D5}.wav"), x, rate);
        });
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        StrArg(args, name) is string s && int.TryParse(s, out int v) ? v : fallback;

    private static string? StrArg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
