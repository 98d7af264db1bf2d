using System.CommandLine;
using System.Globalization;
using GanAudio.App.Data;

namespace GanAudio.App.Cli;

/// <summary>`GanApp data inspect &lt;dir&gt;`: files per genre, durations, rates, channels, formats, unreadable files, totals.</summary>
internal static class DataInspectCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "A folder of audio, or a GTZAN folder (genres_original/<genre>/… or genres/<genre>/…)." };
        var genres = new Option<string[]>("--genres") { Description = "Only these genres, comma- or space-separated.", AllowMultipleArgumentsPerToken = true };
        var files = new Option<bool>("--files") { Description = "Also list every file." };
        var cmd = new Command("inspect", "Summarise an audio folder: files per genre, durations, sample rates, channels, sample formats, unreadable files.")
        {
            dir, genres, files,
        };
        cmd.SetAction(p => DataCommand.Guard(p, (o, _) =>
        {
            var g = (p.GetValue(genres) ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var report = DatasetInspector.Inspect(p.GetValue(dir)!, g.Length > 0 ? g : null);
            Print(report, p.GetValue(files), o);
            return 0;
        }));
        return cmd;
    }

    internal static void Print(InspectReport r, bool listFiles, TextWriter o)
    {
        var inv = CultureInfo.InvariantCulture;
        string layout = r.Scan.GenreRoot == r.Scan.Root ? "folder layout" : $"GTZAN layout, {Path.GetFileName(r.Scan.GenreRoot)}/";
        o.WriteLine($"{r.Scan.Root} ({layout})");
        o.WriteLine();
        var t = new DataTextTable("genre", "files", "unreadable", "duration s (min/mean/max)", "total", "sample rates", "channels", "formats");
        t.RightAligned.UnionWith([1, 2, 4]);
        foreach (var g in r.Genres)
            t.Add(g.Genre, g.Files.ToString(inv), g.Unreadable.ToString(inv),
                g.Files > g.Unreadable ? string.Create(inv, $"{g.MinSeconds:F1} / {g.MeanSeconds:F1} / {g.MaxSeconds:F1}") : "-",
                Clock(g.TotalSeconds), Rates(g.SampleRates), Channels(g.Channels), string.Join(", ", g.Formats));
        t.Separator();
        var ok = r.Files.Where(f => f.Readable).ToList();
        t.Add("total", r.Files.Count.ToString(inv), r.Unreadable.Count().ToString(inv),
            ok.Count > 0 ? string.Create(inv, $"{ok.Min(f => f.DurationSeconds):F1} / {ok.Average(f => f.DurationSeconds):F1} / {ok.Max(f => f.DurationSeconds):F1}") : "-",
            Clock(r.TotalSeconds), Rates(ok.Select(f => f.SampleRate).Distinct().Order().ToList()),
            Channels(ok.Select(f => f.Channels).Distinct().Order().ToList()), string.Join(", ", ok.Select(f => f.Format).Distinct().Order(StringComparer.Ordinal)));
        t.Write(o);

        if (listFiles)
        {
            o.WriteLine();
            var ft = new DataTextTable("file", "genre", "seconds", "rate", "channels", "format", "bytes");
            ft.RightAligned.UnionWith([2, 3, 4, 6]);
            foreach (var f in r.Files)
                ft.Add(f.RelativePath, f.Genre, f.Readable ? f.DurationSeconds.ToString("F2", inv) : "-", f.Readable ? f.SampleRate.ToString(inv) : "-",
                    f.Readable ? f.Channels.ToString(inv) : "-", f.Readable ? f.Format : "unreadable", f.Size.ToString(inv));
            ft.Write(o);
        }

        var bad = r.Unreadable.ToList();
        if (bad.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"unreadable files ({bad.Count}), skipped when training:");
            foreach (var f in bad) o.WriteLine($"  {f.RelativePath}: {f.Error}");
        }
        var warned = r.Files.Where(f => f.Warnings.Count > 0).ToList();
        if (warned.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"readable with warnings ({warned.Count}):");
            foreach (var f in warned) o.WriteLine($"  {f.RelativePath}: {string.Join("; ", f.Warnings)}");
        }
        o.WriteLine();
        o.WriteLine(string.Create(inv, $"{r.Genres.Count} genre(s), {ok.Count} readable file(s), {bad.Count} unreadable, {Clock(r.TotalSeconds)} of audio"));
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds, 1));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:D2}.{t.Milliseconds / 100}");
    }

    private static string Rates(IReadOnlyList<int> rates) => rates.Count == 0 ? "-" : string.Join(", ", rates.Select(x => x.ToString(CultureInfo.InvariantCulture))) + " Hz";

    private static string Channels(IReadOnlyList<int> channels) =>
        channels.Count == 0 ? "-" : string.Join(", ", channels.Select(c => c switch { 1 => "mono", 2 => "stereo", _ => c.ToString(CultureInfo.InvariantCulture) }));
}
