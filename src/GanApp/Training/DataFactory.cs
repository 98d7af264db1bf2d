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
            NormalizeMode.ZScore or NormalizeMode.ZScoreDataset => Normalization.ZScore,
            NormalizeMode.None => Normalization.None,
            _ => Normalization.Peak,
        },
        ZScoreScope = c.Normalize == NormalizeMode.ZScoreDataset ? ZScoreScope.Dataset : ZScoreScope.Clip,
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
        return new Batcher(seg, c.Batch, (ulong)c.Seed);
    }
}
