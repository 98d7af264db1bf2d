using GanAudio.App.Data;
using GanAudio.App.Training;

namespace GanAudio.App.Evaluation;

/// <summary>The real audio an evaluation compares against: <c>--data</c> when given, else the run's own data (its
/// config's folder, or the built-in tones it was trained on), at the run's sample rate and with its genres.</summary>
public static class EvalData
{
    public static AudioDataset Load(TrainConfig cfg, string? dataOverride, Action<string>? log = null)
    {
        var folder = dataOverride ?? cfg.Data;
        if (folder is null)
        {
            log?.Invoke("real data: the built-in synthetic tones the run trained on");
            return ToneSynth.GenerateDataset(new ToneSynthOptions { SampleRate = cfg.SampleRate, Length = cfg.Length, Seed = (ulong)cfg.Seed + 1 });
        }
        if (!Directory.Exists(folder)) throw new UsageException($"--data {folder}: folder not found");
        try
        {
            var ds = AudioDataset.Load(folder, DataFactory.Options(cfg) with { Genres = cfg.Genres }, log);
            log?.Invoke($"real data: {ds.Clips.Count} clips from {folder}, classes {string.Join(", ", ds.Genres)}");
            return ds;
        }
        catch (DatasetException e)
        {
            throw new UsageException($"--data {folder}: {e.Message}");
        }
    }
}
