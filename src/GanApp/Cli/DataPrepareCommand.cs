using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GanAudio.App.Data;

namespace GanAudio.App.Cli;

/// <summary>`GanApp data prepare &lt;dir&gt; [dataset options]`: decode and resample once (filling the cache) and report the segments training would see.</summary>
internal static class DataPrepareCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "A folder of audio, or a GTZAN folder." };
        var options = new DataOptionsCli();
        var cmd = new Command("prepare", "Decode, resample and cache a dataset, then report the training examples the options give.") { dir };
        options.AddTo(cmd);
        cmd.SetAction(p => DataCommand.Guard(p, (o, e) =>
        {
            var opts = options.Read(p);
            var sw = Stopwatch.StartNew();
            var ds = AudioDataset.Load(p.GetValue(dir)!, opts, line => e.WriteLine(line));
            double loadMs = sw.Elapsed.TotalMilliseconds;
            var segs = new SegmentedDataset(ds, opts);
            var inv = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(inv, $"{ds.Clips.Count} clips at {ds.SampleRate} Hz, {ds.TotalSamples / (double)ds.SampleRate:F1} s of audio, {(ds.FromCache ? "from the cache" : "decoded")} in {loadMs / 1000:F2} s"));
            o.WriteLine(string.Create(inv, $"{segs.Count} examples of {segs.Length} samples per epoch ({(opts.Mode == SegmentMode.RandomCrop ? "random crops" : $"hop {opts.EffectiveHop}")}, last {opts.Last.ToString().ToLowerInvariant()}, normalisation {opts.Normalization.ToString().ToLowerInvariant()})"));
            var perLabel = Enumerable.Range(0, segs.Count).GroupBy(segs.LabelOf).ToDictionary(g => g.Key, g => g.Count());
            var t = new DataTextTable("label", "genre", "clips", "examples");
            t.RightAligned.UnionWith([0, 2, 3]);
            for (int i = 0; i < ds.Genres.Count; i++)
                t.Add(i.ToString(inv), ds.Genres[i], ds.Clips.Count(c => c.Label == i).ToString(inv), perLabel.GetValueOrDefault(i).ToString(inv));
            t.Write(o);
            if (opts.UseCache) o.WriteLine($"cache: {DatasetCache.PathFor(DatasetScanner.Scan(p.GetValue(dir)!, opts.Genres), opts)}");
            return 0;
        }));
        return cmd;
    }
}
