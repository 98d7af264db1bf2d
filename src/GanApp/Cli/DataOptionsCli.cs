using System.CommandLine;
using GanAudio.App.Audio;
using GanAudio.App.Data;

namespace GanAudio.App.Cli;

/// <summary>
/// The dataset options as command-line options, shared by `data prepare` and (for the lead) `train`:
/// call <see cref="AddTo"/> on a command and <see cref="Read"/> in its action.
/// </summary>
public sealed class DataOptionsCli
{
    public Option<int> SampleRate { get; } = new("--sample-rate") { Description = "Resample every clip to this rate (Hz).", DefaultValueFactory = _ => 16000 };
    public Option<string[]> Genres { get; } = new("--genres") { Description = "Only these genres (folder names), comma- or space-separated.", AllowMultipleArgumentsPerToken = true };
    public Option<int> Channel { get; } = new("--channel") { Description = "Use this channel (0-based) instead of averaging all channels.", DefaultValueFactory = _ => -1 };
    public Option<int> SegmentLength { get; } = new("--segment-length") { Description = "Samples per training example (16384 or 65536 for WaveGAN; any length).", DefaultValueFactory = _ => 16384 };
    public Option<int?> Hop { get; } = new("--hop") { Description = "Distance between segment starts (default: the segment length, no overlap)." };
    public Option<string> Segments { get; } = new("--segments") { Description = "fixed: segments at 0, hop, 2·hop…; random: new random crops every epoch.", DefaultValueFactory = _ => "fixed" };
    public Option<string> Last { get; } = new("--last") { Description = "A tail shorter than a segment: pad (with zeros) or drop.", DefaultValueFactory = _ => "pad" };
    public Option<string> Normalize { get; } = new("--normalize") { Description = "peak (per clip, to [-1, 1]), zscore (mean 0, std 1) or none.", DefaultValueFactory = _ => "peak" };
    public Option<string> ZScoreScope { get; } = new("--zscore-scope") { Description = "zscore statistics per clip or over the whole dataset.", DefaultValueFactory = _ => "clip" };
    public Option<double?> DropSilence { get; } = new("--drop-silence") { Description = "Drop segments whose RMS is below this level in dBFS (e.g. -50)." };
    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Decode every file again and do not write the preprocessing cache." };
    public Option<string?> CacheDir { get; } = new("--cache-dir") { Description = "Where the preprocessing cache lives (default: $GANAUDIO_CACHE or ~/.cache/ganaudio)." };

    public DataOptionsCli()
    {
        Segments.AcceptOnlyFromAmong("fixed", "random");
        Last.AcceptOnlyFromAmong("pad", "drop");
        Normalize.AcceptOnlyFromAmong("peak", "zscore", "none");
        ZScoreScope.AcceptOnlyFromAmong("clip", "dataset");
    }

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { SampleRate, Genres, Channel, SegmentLength, Hop, Segments, Last, Normalize, ZScoreScope, DropSilence, NoCache, CacheDir })
            command.Options.Add(o);
    }

    /// <summary>The options as given; throws <see cref="DatasetException"/> for out-of-range values.</summary>
    public DatasetOptions Read(ParseResult p)
    {
        var genres = (p.GetValue(Genres) ?? []).SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        int channel = p.GetValue(Channel);
        var o = new DatasetOptions
        {
            SampleRate = p.GetValue(SampleRate),
            Genres = genres.Length > 0 ? genres : null,
            Channels = channel < 0 ? ChannelMode.Average : ChannelMode.Pick(channel),
            SegmentLength = p.GetValue(SegmentLength),
            Hop = p.GetValue(Hop),
            Mode = p.GetValue(Segments) == "random" ? SegmentMode.RandomCrop : SegmentMode.Fixed,
            Last = p.GetValue(Last) == "drop" ? LastSegment.Drop : LastSegment.Pad,
            Normalization = p.GetValue(Normalize) switch { "zscore" => Normalization.ZScore, "none" => Normalization.None, _ => Normalization.Peak },
            ZScoreScope = p.GetValue(ZScoreScope) == "dataset" ? Data.ZScoreScope.Dataset : Data.ZScoreScope.Clip,
            SilenceThresholdDb = p.GetValue(DropSilence),
            UseCache = !p.GetValue(NoCache),
            CacheDirectory = p.GetValue(CacheDir),
        };
        o.Validate();
        return o;
    }
}
