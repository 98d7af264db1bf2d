using System.Globalization;
using GanAudio.App.Audio;
using GanAudio.App.Data;
using GanAudio.App.Evaluation;
using GanAudio.App.Training;

namespace GanApp.Tests.Report;

/// <summary>A small run folder made without training: config, metrics.csv, two sample steps of tone clips, eval.json.</summary>
public sealed class ReportFixture : IDisposable
{
    public ReportFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "ganaudio-report-" + Guid.NewGuid().ToString("N"));
        Run = new RunFolder(Root);
        Run.Create();
        var cfg = new TrainConfig { Data = null, Length = 16384, Steps = 20 };
        File.WriteAllText(Run.ConfigPath, cfg.ToJson());
        Run.AppendMetrics(Enumerable.Range(1, 20).Select(s => string.Join(',',
            new double[] { s, s * 0.5, -1.0 / s, 0.5 + 0.1 * s, 0.2, 2.0 / s, 2 }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        var clips = ToneSynth.Generate(new ToneSynthOptions { ClipsPerPitch = 1 });
        foreach (var step in new[] { 10L, 20L })
        {
            Directory.CreateDirectory(Run.SampleDir(step));
            for (int i = 0; i < 3; i++) WavWriter.Write(Path.Combine(Run.SampleDir(step), $"sample-{i:D2}.wav"), clips[i].Samples, 16000);
        }
        var set = new MetricSet { Count = 8, InceptionScore = 1.5, InceptionScoreStd = 0.1, FrechetDistance = 12.5, NearestNeighbour = 2, SpectralFlatness = 0.01, PitchPrecision = 0.5, PitchRecall = 0.25 };
        EvalFile.Append(Root, new EvalEntry { Step = 10, Generated = set, Real = set with { InceptionScore = 6 }, Noise = set with { InceptionScore = 1 } });
        EvalFile.Append(Root, new EvalEntry { Step = 20, Generated = set with { InceptionScore = 2.5 }, Real = set with { InceptionScore = 6 }, Noise = set with { InceptionScore = 1 } });
    }

    public string Root { get; }

    public RunFolder Run { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, true);
        }
        catch (IOException)
        {
        }
    }
}
