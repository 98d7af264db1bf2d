using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>How clips are scaled before segmenting.</summary>
public enum Normalization
{
    /// <summary>Divide each clip by its peak absolute value, to [-1, 1] (WaveGAN's choice).</summary>
    Peak,
    /// <summary>Subtract the mean and divide by the standard deviation (per clip or per dataset, see <see cref="ZScoreScope"/>).</summary>
    ZScore,
    /// <summary>Leave samples as decoded.</summary>
    None,
}

/// <summary>Where z-score statistics come from.</summary>
public enum ZScoreScope { Clip, Dataset }

/// <summary>How training examples are cut from clips.</summary>
public enum SegmentMode
{
    /// <summary>Fixed segments at 0, hop, 2·hop, … (non-overlapping when hop = length).</summary>
    Fixed,
    /// <summary>A fresh seeded random crop per example every epoch (floor(clip/length) crops per clip per epoch, at least 1).</summary>
    RandomCrop,
}

/// <summary>What happens to the tail of a clip shorter than one segment.</summary>
public enum LastSegment { Pad, Drop }

/// <summary>
/// All dataset options. <see cref="SampleRate"/>, <see cref="Genres"/> and <see cref="Channels"/> decide what is
/// decoded (and cached); the rest is applied in memory when segments are made, so changing it reuses the cache.
/// </summary>
public sealed record DatasetOptions
{
    /// <summary>Target sample rate in Hz; every clip is resampled to it.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Genre (folder) names to keep, case-insensitive; null or empty keeps all.</summary>
    public IReadOnlyList<string>? Genres { get; init; }

    /// <summary>Average all channels (default) or pick one.</summary>
    public ChannelMode Channels { get; init; } = ChannelMode.Average;

    /// <summary>Samples per example (16384 or 65536 for WaveGAN; any length works).</summary>
    public int SegmentLength { get; init; } = 16384;

    /// <summary>Distance between fixed segment starts; null means <see cref="SegmentLength"/> (no overlap).</summary>
    public int? Hop { get; init; }

    public SegmentMode Mode { get; init; } = SegmentMode.Fixed;

    public LastSegment Last { get; init; } = LastSegment.Pad;

    public Normalization Normalization { get; init; } = Normalization.Peak;

    public ZScoreScope ZScoreScope { get; init; } = ZScoreScope.Clip;

    /// <summary>Drop segments whose RMS (before normalisation, in dBFS) is below this, e.g. -50; null keeps all.</summary>
    public double? SilenceThresholdDb { get; init; }

    /// <summary>Use the preprocessing cache.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Cache folder; null means <see cref="DatasetCache.DefaultDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    public int EffectiveHop => Hop ?? SegmentLength;

    /// <summary>Throws <see cref="DatasetException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (SampleRate is <= 0 or > 1_000_000) throw new DatasetException($"--sample-rate {SampleRate} must be between 1 and 1000000 Hz") { IsUsageError = true };
        if (SegmentLength <= 0) throw new DatasetException($"--segment-length {SegmentLength} must be positive") { IsUsageError = true };
        if (Hop is <= 0) throw new DatasetException($"--hop {Hop} must be positive") { IsUsageError = true };
        if (SilenceThresholdDb is > 0) throw new DatasetException($"--drop-silence {SilenceThresholdDb} must be a level in dBFS (≤ 0, e.g. -50)") { IsUsageError = true };
    }
}

/// <summary>A dataset problem the user can fix (missing folder, no audio, unknown genre, …): one line.</summary>
public sealed class DatasetException(string message) : Exception(message)
{
    /// <summary>True when an option value is wrong (the CLI exits with 2), false for problems with the data (exit 1).</summary>
    public bool IsUsageError { get; init; }
}
