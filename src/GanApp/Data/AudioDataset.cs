namespace GanAudio.App.Data;

/// <summary>One decoded, mono, resampled clip.</summary>
/// <param name="Source">Where it came from (a path relative to the dataset root, or a synthetic name).</param>
/// <param name="Label">Index into <see cref="AudioDataset.Genres"/>.</param>
public sealed record Clip(string Source, int Label, float[] Samples)
{
    /// <summary>Clips that must stay on the same side of a train/held-out split (e.g. one speaker's words); null: the clip
    /// is its own group. See <c>ClipGroups</c>.</summary>
    public string? Group { get; init; }
}

/// <summary>A file that could not be read, and why.</summary>
public sealed record SkippedFile(string Path, string Reason);

/// <summary>
/// Decoded clips at one sample rate with their genre labels. Genre names are sorted (ordinal), so label
/// indices are stable for a given set of folders; trainers should save <see cref="Genres"/> with checkpoints.
/// </summary>
public sealed class AudioDataset
{
    public AudioDataset(IReadOnlyList<string> genres, int sampleRate, IReadOnlyList<Clip> clips, IReadOnlyList<SkippedFile>? skipped = null)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        foreach (var c in clips)
            if (c.Label < 0 || c.Label >= genres.Count)
                throw new ArgumentException($"clip {c.Source} has label {c.Label}, but there are {genres.Count} genres", nameof(clips));
        Genres = genres;
        SampleRate = sampleRate;
        Clips = clips;
        Skipped = skipped ?? [];
    }

    public IReadOnlyList<string> Genres { get; }

    public int SampleRate { get; }

    public IReadOnlyList<Clip> Clips { get; }

    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>True when the clips came from the preprocessing cache.</summary>
    public bool FromCache { get; init; }

    public long TotalSamples => Clips.Sum(c => (long)c.Samples.Length);

    /// <summary>
    /// Scans <paramref name="root"/>, decodes, downmixes and resamples every file (in parallel), reusing the
    /// preprocessing cache while no source file and no decoding option changed. Unreadable files are skipped
    /// with one warning line each through <paramref name="log"/> and a count at the end.
    /// </summary>
    public static AudioDataset Load(string root, DatasetOptions options, Action<string>? log = null)
    {
        options.Validate();
        var scan = DatasetScanner.Scan(root, options.Genres);
        AudioDataset? ds = null;
        string? cachePath = options.UseCache ? DatasetCache.PathFor(scan, options) : null;
        if (cachePath is not null) ds = DatasetCache.TryLoad(cachePath, scan, options, log);
        if (ds is null)
        {
            ds = DatasetLoader.Decode(scan, options, log);
            if (cachePath is not null) DatasetCache.TrySave(cachePath, scan, options, ds, log);
        }
        else
        {
            foreach (var s in ds.Skipped) log?.Invoke($"warning: skipped {s.Path}: {s.Reason}");
        }
        if (ds.Skipped.Count > 0) log?.Invoke($"warning: {ds.Skipped.Count} of {scan.Files.Count} files were unreadable and skipped");
        if (ds.Clips.Count == 0) throw new DatasetException($"{root}: none of the {scan.Files.Count} audio files could be read");
        return ds;
    }
}
