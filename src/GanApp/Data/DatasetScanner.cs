using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>One audio file found by the scanner.</summary>
/// <param name="RelativePath">Relative to the scanned root, with '/' separators.</param>
public sealed record ScannedFile(string FullPath, string RelativePath, string Genre, long Size, long ModifiedTicks);

/// <summary>The result of a scan: files in a stable order and the sorted genre names (label i = Genres[i]).</summary>
public sealed record ScanResult(string Root, string GenreRoot, IReadOnlyList<ScannedFile> Files, IReadOnlyList<string> Genres)
{
    public int LabelOf(string genre) => Genres.ToList().BinarySearch(genre, StringComparer.Ordinal);
}

/// <summary>
/// Finds audio files. If the folder holds GTZAN's <c>genres_original/</c> (Kaggle) or <c>genres/</c> (original release),
/// that is the genre root; otherwise the folder itself is. A file's genre is its first folder below the genre root
/// (files directly in it take the root folder's name). Hidden files and folders and macOS <c>._*</c> files are ignored.
/// </summary>
public static class DatasetScanner
{
    public static ScanResult Scan(string root, IReadOnlyList<string>? genres = null)
    {
        string full = Path.GetFullPath(root);
        if (File.Exists(full)) throw new DatasetException($"{root} is a file; give the folder that holds the audio");
        if (!Directory.Exists(full)) throw new DatasetException($"{root}: folder not found");
        string genreRoot = full;
        foreach (var name in new[] { "genres_original", "genres" })
            if (Directory.Exists(Path.Combine(full, name))) { genreRoot = Path.Combine(full, name); break; }
        string rootName = Path.GetFileName(genreRoot.TrimEnd(Path.DirectorySeparatorChar)) is { Length: > 0 } n ? n : "audio";

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };
        var files = new List<ScannedFile>();
        foreach (var path in Directory.EnumerateFiles(genreRoot, "*", options))
        {
            string rel = Path.GetRelativePath(genreRoot, path).Replace(Path.DirectorySeparatorChar, '/');
            var parts = rel.Split('/');
            if (parts.Any(p => p.StartsWith('.'))) continue; // hidden files/folders, macOS ._* files
            string ext = Path.GetExtension(path);
            if (!AudioFile.ReadableExtensions.Contains(ext) && !AudioFile.UnsupportedExtensions.Contains(ext)) continue;
            var info = new FileInfo(path);
            string relToRoot = Path.GetRelativePath(full, path).Replace(Path.DirectorySeparatorChar, '/');
            files.Add(new ScannedFile(path, relToRoot, parts.Length > 1 ? parts[0] : rootName, info.Length, info.LastWriteTimeUtc.Ticks));
        }
        if (files.Count == 0) throw new DatasetException($"{root}: no audio files found (looked for .wav, .au, .mp3, .ogg and .flac files, recursively)");

        var all = files.Select(f => f.Genre).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();
        if (genres is { Count: > 0 })
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            foreach (var g in genres)
            {
                var match = all.FirstOrDefault(a => string.Equals(a, g.Trim(), StringComparison.OrdinalIgnoreCase))
                    ?? throw new DatasetException($"--genres: '{g}' not found in {root}; available: {string.Join(", ", all)}") { IsUsageError = true };
                keep.Add(match);
            }
            files = files.Where(f => keep.Contains(f.Genre)).ToList();
            all = all.Where(keep.Contains).ToList();
        }
        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new ScanResult(full, genreRoot, files, all);
    }
}
