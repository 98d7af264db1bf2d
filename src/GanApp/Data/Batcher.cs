namespace GanAudio.App.Data;

/// <summary>One batch: <see cref="Data"/> is row-major [<see cref="Batch"/>, 1, <see cref="Length"/>].</summary>
public sealed record AudioBatch(float[] Data, int[] Labels, int Batch, int Length);

/// <summary>Where a batcher is: examples consumed in the current epoch. Save it to resume exactly.</summary>
public readonly record struct BatcherState(long Epoch, long Position);

/// <summary>
/// A seeded shuffling batcher over a <see cref="SegmentedDataset"/>. Each epoch visits every example once in
/// an order that depends only on (seed, epoch); batches are always full and run on into the next epoch when
/// one ends. Random crops depend only on (seed, epoch, position), so restoring a <see cref="BatcherState"/>
/// reproduces the following batches bit for bit.
/// </summary>
public sealed class Batcher : ITrainingData
{
    private readonly SegmentedDataset _data;
    private readonly ulong _seed;
    private readonly bool _shuffle;
    private int[] _order = [];
    private long _orderEpoch = -1;

    public Batcher(SegmentedDataset data, int batchSize, ulong seed, BatcherState state = default, bool shuffle = true)
    {
        if (batchSize <= 0) throw new DatasetException($"--batch-size {batchSize} must be positive") { IsUsageError = true };
        _data = data;
        BatchSize = batchSize;
        _seed = seed;
        _shuffle = shuffle;
        Restore(state);
    }

    public int BatchSize { get; }

    /// <summary>The state before the next batch (a finished epoch is reported as the next epoch at position 0).</summary>
    public BatcherState State { get; private set; }

    /// <summary>Full batches per epoch (rounded up; the last one runs into the next epoch).</summary>
    public long BatchesPerEpoch => (_data.Count + BatchSize - 1) / BatchSize;

    public IReadOnlyList<string> Genres => _data.Genres;

    public IReadOnlyList<string> ClassNames => _data.Genres;

    public int Length => _data.Length;

    public int SampleRate => _data.SampleRate;

    public int Count => _data.Count;

    public float[] Example(int index, out int label)
    {
        label = _data.LabelOf(index);
        var x = new float[_data.Length];
        _data.Fill(index, 0, x);
        return x;
    }

    public void Restore(BatcherState state)
    {
        if (state.Epoch < 0 || state.Position < 0 || state.Position > _data.Count)
            throw new DatasetException($"batcher state (epoch {state.Epoch}, position {state.Position}) does not fit a dataset of {_data.Count} examples");
        State = state;
    }

    /// <summary>The example indices of <paramref name="epoch"/> in visiting order.</summary>
    public int[] OrderOf(long epoch)
    {
        if (epoch == _orderEpoch) return _order;
        var order = new int[_data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (_shuffle)
        {
            var rng = new SeededRandom(SeededRandom.Mix(_seed, 0x5348554646UL, (ulong)epoch));
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = (int)rng.NextLong(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        _order = order;
        _orderEpoch = epoch;
        return order;
    }

    public AudioBatch NextBatch()
    {
        int len = _data.Length;
        var data = new float[(long)BatchSize * len];
        var labels = new int[BatchSize];
        var (epoch, pos) = State;
        for (int b = 0; b < BatchSize; b++)
        {
            if (pos >= _data.Count) { epoch++; pos = 0; }
            int item = OrderOf(epoch)[pos];
            ulong cropKey = SeededRandom.Mix(_seed, 0x43524F50UL, (ulong)epoch, (ulong)pos);
            labels[b] = _data.Fill(item, cropKey, data.AsSpan(b * len, len));
            pos++;
        }
        if (pos == _data.Count) { epoch++; pos = 0; }
        State = new BatcherState(epoch, pos);
        return new AudioBatch(data, labels, BatchSize, len);
    }
}
