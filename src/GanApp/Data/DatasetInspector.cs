using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>What one file holds (or why it could not be read).</summary>
public sealed record FileReport(string RelativePath, string Genre, long Size, double DurationSeconds, int SampleRate, int Channels, string Format, string? Error, IReadOnlyList<string> Warnings)
{
    public bool Readable => Error is null;
}

/// <summary>Per-genre summary of readable files.</summary>
public sealed record GenreReport(string Genre, int Files, int Unreadable, double MinSeconds, double MeanSeconds, double MaxSeconds, double TotalSeconds,
    IReadOnlyList<int> SampleRates, IReadOnlyList<int> Channels, IReadOnlyList<string> Formats);

/// <summary>The result of <see cref="DatasetInspector.Inspect"/>.</summary>
public sealed record InspectReport(ScanResult Scan, IReadOnlyList<FileReport> Files, IReadOnlyList<GenreReport> Genres)
{
    public IEnumerable<FileReport> Unreadable => Files.Where(f => !f.Readable);

    public double TotalSeconds => Genres.Sum(g => g.TotalSeconds);
}

/// <summary>Decodes every file of a folder (in parallel) and summarises durations, rates, channels, formats and failures.</summary>
public static class DatasetInspector
{
    public static InspectReport Inspect(string root, IReadOnlyList<string>? genres = null)
    {
        var scan = DatasetScanner.Scan(root, genres);
        var files = new FileReport[scan.Files.Count];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var f = scan.Files[i];
            try
            {
                var a = AudioFile.Read(f.FullPath);
                files[i] = new FileReport(f.RelativePath, f.Genre, f.Size, a.DurationSeconds, a.SampleRate, a.ChannelCount, a.Format, null, a.Warnings);
            }
            catch (AudioFormatException e)
            {
                files[i] = new FileReport(f.RelativePath, f.Genre, f.Size, 0, 0, 0, "", e.Reason.Length > 0 ? e.Reason : e.Message, []);
            }
        });
        var byGenre = scan.Genres.Select(g =>
        {
            var all = files.Where(f => f.Genre == g).ToList();
            var ok = all.Where(f => f.Readable).ToList();
            var d = ok.Select(f => f.DurationSeconds).DefaultIfEmpty(0).ToList();
            return new GenreReport(g, all.Count, all.Count - ok.Count, d.Min(), d.Average(), d.Max(), ok.Sum(f => f.DurationSeconds),
                ok.Select(f => f.SampleRate).Distinct().Order().ToList(), ok.Select(f => f.Channels).Distinct().Order().ToList(),
                ok.Select(f => f.Format).Distinct().Order(StringComparer.Ordinal).ToList());
        }).ToList();
        return new InspectReport(scan, files, byGenre);
    }
}
