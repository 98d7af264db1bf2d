using System.Globalization;

namespace GanAudio.App.Training;

/// <summary>The run's metrics: one metrics.csv row per iteration (written in batches by <see cref="Flush"/>) and the loss
/// history that checkpoints carry.</summary>
public sealed class MetricsLog(RunFolder run)
{
    private readonly List<string> pendingRows = new();
    private readonly List<double[]> history = new();

    /// <summary>[step, D loss, G loss, penalty, Wasserstein estimate] of every iteration so far.</summary>
    public IReadOnlyList<double[]> History => history;

    public void Record(StepReport r)
    {
        history.Add([r.Step, r.DLoss, r.GLoss, r.Gp, r.Wasserstein]);
        pendingRows.Add(string.Join(',', new[] { r.Step, r.WallSeconds, r.DLoss, r.GLoss, r.Gp, r.Wasserstein, r.StepsPerSecond }
            .Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }

    /// <summary>Writes pending rows to metrics.csv.</summary>
    public void Flush()
    {
        if (pendingRows.Count == 0) return;
        run.AppendMetrics(pendingRows);
        pendingRows.Clear();
    }

    /// <summary>Back to a checkpoint at <paramref name="step"/>: its history, metrics.csv cut after it; returns the
    /// wall-clock seconds the run had used by then.</summary>
    public double Restore(IEnumerable<double[]> savedHistory, long step)
    {
        history.Clear();
        history.AddRange(savedHistory);
        pendingRows.Clear();
        run.TruncateMetrics(step);
        if (!File.Exists(run.MetricsPath)) return 0;
        var last = File.ReadLines(run.MetricsPath).Skip(1).LastOrDefault();
        return last is null ? 0 : double.Parse(last.Split(',')[1], CultureInfo.InvariantCulture);
    }
}
