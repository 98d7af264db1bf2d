namespace GanAudio.App.Data;

/// <summary>
/// Training examples cut from a dataset's clips: normalised, fixed-length, labelled. In
/// <see cref="SegmentMode.Fixed"/> mode the examples are the segments at 0, hop, 2·hop, …; in
/// <see cref="SegmentMode.RandomCrop"/> mode each clip contributes floor(length/segment) (at least 1) examples per
/// epoch, each cropped at an offset derived from a key (so crops are reproducible from the batcher's state).
/// Tails shorter than a segment are zero-padded or dropped; near-silent segments are optionally dropped.
/// </summary>
public sealed class SegmentedDataset
{
    private const int CropAttempts = 8;
    private readonly float[][] _clips;
    private readonly int[] _labels;
    private readonly ClipScaling[] _scaling;
    private readonly List<(int Clip, int Offset)> _items = [];
    private readonly double? _silenceRms;

    public SegmentedDataset(AudioDataset dataset, DatasetOptions options)
    {
        options.Validate();
        Options = options;
        Genres = dataset.Genres;
        SampleRate = dataset.SampleRate;
        Length = options.SegmentLength;
        var raw = dataset.Clips.Select(c => c.Samples).ToArray();
        _scaling = Normalizer.Compute(raw, options.Normalization, options.ZScoreScope);
        _clips = options.Normalization == Normalization.None ? raw : raw.Select((c, i) => Normalizer.Apply(c, _scaling[i])).ToArray();
        _labels = dataset.Clips.Select(c => c.Label).ToArray();
        _silenceRms = options.SilenceThresholdDb is double db ? Math.Pow(10, db / 20) : null;

        for (int c = 0; c < _clips.Length; c++)
        {
            int n = _clips[c].Length;
            bool tooShort = n < Length;
            if (tooShort && options.Last == LastSegment.Drop) continue;
            if (options.Mode == SegmentMode.RandomCrop)
            {
                for (int k = Math.Max(1, n / Length); k > 0; k--) _items.Add((c, -1));
                continue;
            }
            int hop = options.EffectiveHop, start = 0, coveredTo = 0;
            for (; start + Length <= n; start += hop)
            {
                AddIfAudible(c, start);
                coveredTo = start + Length;
            }
            if (options.Last == LastSegment.Pad && start < n && coveredTo < n) AddIfAudible(c, start);
        }
        if (_items.Count == 0)
            throw new DatasetException($"no training examples: {_clips.Length} clip(s) gave no {Length}-sample segments"
                + (options.Last == LastSegment.Drop ? " (clips shorter than a segment are dropped; try --last pad)" : "")
                + (_silenceRms is not null ? " (or all were near-silent; lower --drop-silence)" : ""));
    }

    public DatasetOptions Options { get; }

    public IReadOnlyList<string> Genres { get; }

    public int SampleRate { get; }

    /// <summary>Samples per example.</summary>
    public int Length { get; }

    /// <summary>Examples per epoch.</summary>
    public int Count => _items.Count;

    /// <summary>Label of example <paramref name="item"/>.</summary>
    public int LabelOf(int item) => _labels[_items[item].Clip];

    /// <summary>
    /// Writes example <paramref name="item"/> into <paramref name="destination"/> (length <see cref="Length"/>) and
    /// returns its label. <paramref name="cropKey"/> picks the random crop (ignored for fixed segments).
    /// </summary>
    public int Fill(int item, ulong cropKey, Span<float> destination)
    {
        var (c, offset) = _items[item];
        var clip = _clips[c];
        if (offset < 0) offset = ChooseCrop(c, cropKey);
        int n = Math.Min(Length, clip.Length - offset);
        clip.AsSpan(offset, n).CopyTo(destination);
        destination[n..Length].Clear();
        return _labels[c];
    }

    private int ChooseCrop(int c, ulong key)
    {
        int range = _clips[c].Length - Length;
        if (range <= 0) return 0;
        var rng = new SeededRandom(key);
        int offset = 0;
        for (int attempt = 0; attempt < CropAttempts; attempt++)
        {
            offset = (int)rng.NextLong(range + 1L);
            if (!IsSilent(c, offset)) break;
        }
        return offset;
    }

    private void AddIfAudible(int c, int start)
    {
        if (!IsSilent(c, start)) _items.Add((c, start));
    }

    /// <summary>RMS of the raw (un-normalised) samples of the segment below the threshold.</summary>
    private bool IsSilent(int c, int start)
    {
        if (_silenceRms is not double threshold) return false;
        var clip = _clips[c];
        int end = Math.Min(clip.Length, start + Length);
        var s = _scaling[c];
        double sum = 0;
        for (int i = start; i < end; i++)
        {
            double raw = clip[i] * s.Scale + s.Offset;
            sum += raw * raw;
        }
        return end <= start || Math.Sqrt(sum / (end - start)) < threshold;
    }
}
