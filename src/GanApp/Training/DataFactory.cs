using System.Globalization;
using GanAudio.App.Data;

namespace GanAudio.App.Training;

/// <summary>Builds the training data a configuration names: the built-in tones (no --data) or a folder of audio.</summary>
public static class DataFactory
{
    public static DatasetOptions Options(TrainConfig c) => new()
    {
        SampleRate = c.SampleRate,
        Genres = c.Genres,
        SegmentLength = c.Length,
        Hop = c.Hop > 0 ? c.Hop : null,
        Mode = c.RandomCrop ? SegmentMode.RandomCrop : SegmentMode.Fixed,
        Normalization = c.Normalize switch
        {
            "zscore" or "zscore-dataset" => Normalization.ZScore,
            "none" => Normalization.None,
            _ => Normalization.Peak,
        },
        ZScoreScope = c.Normalize == "zscore-dataset" ? ZScoreScope.Dataset : ZScoreScope.Clip,
    };

    public static ITrainingData Create(TrainConfig c, TextWriter log)
    {
        var options = Options(c);
        AudioDataset ds;
        if (c.Data is null)
        {
            ds = ToneSynth.GenerateDataset(new ToneSynthOptions { SampleRate = c.SampleRate, Length = c.Length, Seed = (ulong)c.Seed + 1 });
            log.WriteLine($"data: built-in synthetic tones ({ds.Clips.Count} clips at {ToneSynth.Pitches.Count} pitches)");
        }
        else
        {
            if (!Directory.Exists(c.Data)) throw new UsageException($"--data {c.Data}: folder not found");
            try
            {
                ds = AudioDataset.Load(c.Data, options, m => log.WriteLine(m));
            }
            catch (DatasetException e)
            {
                throw new UsageException(e.Message);
            }
            if (ds.Clips.Count == 0) throw new UsageException($"--data {c.Data}: no readable audio found");
            log.WriteLine($"data: {ds.Clips.Count} clips from {c.Data}{(ds.FromCache ? " (from cache)" : "")}, genres {string.Join(", ", ds.Genres)}");
        }
        var seg = new SegmentedDataset(ds, options);
        if (seg.Count == 0) throw new UsageException($"--length {c.Length}: no segments could be cut from the data");
        return new BatcherData(seg, c.Batch, (ulong)c.Seed);
    }
}

/// <summary><see cref="ITrainingData"/> over the dataset pipeline's seeded, resumable <see cref="Batcher"/>.</summary>
public sealed class BatcherData(SegmentedDataset data, int batch, ulong seed) : ITrainingData
{
    private readonly Batcher batcher = new(data, batch, seed);

    public int Length => data.Length;

    public int SampleRate => data.SampleRate;

    public IReadOnlyList<string> ClassNames => data.Genres;

    public int Count => data.Count;

    public (float[] Data, int[] Labels) NextBatch(int n)
    {
        if (n != batcher.BatchSize) throw new ArgumentException($"batch size {n} differs from the batcher's {batcher.BatchSize}");
        var b = batcher.Next();
        return (b.Data, b.Labels);
    }

    public string SaveState() => string.Create(CultureInfo.InvariantCulture, $"{batcher.State.Epoch},{batcher.State.Position}");

    public void LoadState(string state)
    {
        var p = state.Split(',');
        if (p.Length != 2 || !long.TryParse(p[0], CultureInfo.InvariantCulture, out long e) || !long.TryParse(p[1], CultureInfo.InvariantCulture, out long pos))
            throw new InvalidDataException($"bad data state '{state}'");
        batcher.Restore(new BatcherState(e, pos));
    }

    public float[] Example(int index, out int label)
    {
        label = data.LabelOf(index);
        var x = new float[data.Length];
        data.Fill(index, 0, x);
        return x;
    }
}
