using GanAudio.App.Training;

namespace GanAudio.App.Evaluation;

/// <summary>Evaluation during training (<c>--eval-every N</c>): the real reference and baselines are built on first use
/// and kept; each call measures the current generator and appends to the run's eval.json. Without
/// <c>--eval-classifier</c> only the classifier-free metrics are computed.</summary>
public sealed class TrainingEvaluation : IDisposable
{
    public const int Count = 64;
    private readonly TrainConfig cfg;
    private readonly RunFolder run;
    private Evaluator? evaluator;
    private Classifier? classifier;

    public TrainingEvaluation(TrainConfig cfg, RunFolder run)
    {
        this.cfg = cfg;
        this.run = run;
        if (cfg.EvalClassifier is { } c && !File.Exists(Path.Combine(c, Classifier.InfoFile)))
            throw new UsageException($"--eval-classifier {c}: no classifier there; make one with 'GanApp classifier train'");
    }

    public EvalEntry Run(GanAudio.App.Models.GeneratorModule g, IReadOnlyList<string> classes, long step)
    {
        if (evaluator is null)
        {
            classifier = cfg.EvalClassifier is null ? null : Classifier.Load(cfg.EvalClassifier);
            var real = EvalData.Load(cfg, null);
            evaluator = new Evaluator(new EvalReference(real, cfg.Length, classifier));
        }
        var entry = evaluator.Evaluate(g, classes, Count, step, cfg.EvalClassifier is null ? null : Path.GetFullPath(cfg.EvalClassifier));
        EvalFile.Append(run.Root, entry);
        return entry;
    }

    /// <summary>One line for the training log.</summary>
    public static string Summary(EvalEntry e)
    {
        var g = e.Generated;
        var parts = new List<string> { $"eval step {e.Step}:" };
        if (g.InceptionScore is { } s) parts.Add($"IS {s:F2} (real {e.Real.InceptionScore:F2})");
        if (g.FrechetDistance is { } fd) parts.Add($"FD {fd:F2} (real {e.Real.FrechetDistance:F2})");
        if (g.ClassAccuracy is { } a) parts.Add($"class acc {a:P0}");
        if (g.NearestNeighbour is { } nn) parts.Add($"NN {nn:F2} (real {e.Real.NearestNeighbour:F2})");
        parts.Add($"flatness {g.SpectralFlatness:F3}");
        if (g.PitchPrecision is { } pp) parts.Add($"pitch P {pp:P0} R {g.PitchRecall:P0}");
        return string.Join("  ", parts);
    }

    public void Dispose() => classifier?.Dispose();
}
