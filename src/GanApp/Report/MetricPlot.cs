using GanAudio.App.Evaluation;

namespace GanAudio.App.Report;

/// <summary>Renders the evaluation history of a run (eval.json) as a PNG with ScottPlot: the generated clips' Inception
/// Score (left axis) and Fréchet distance (right axis) against the step, with the latest real-data Inception Score and
/// Fréchet distance as dashed reference lines.</summary>
public static class MetricPlot
{
    /// <summary>The PNG bytes, or null when no entry has an Inception Score or Fréchet distance (no classifier) or there
    /// are fewer than two entries.</summary>
    public static byte[]? Render(IReadOnlyList<EvalEntry> history, int width = 900, int height = 400)
    {
        var withIs = history.Where(e => e.Generated.InceptionScore is double v && double.IsFinite(v)).ToList();
        var withFd = history.Where(e => e.Generated.FrechetDistance is double v && double.IsFinite(v)).ToList();
        if (history.Count < 2 || (withIs.Count == 0 && withFd.Count == 0)) return null;
        var plt = new ScottPlot.Plot();
        var latest = history[^1];
        if (withIs.Count > 0)
        {
            var s = plt.Add.Scatter(withIs.Select(e => (double)e.Step).ToArray(), withIs.Select(e => e.Generated.InceptionScore!.Value).ToArray());
            s.LegendText = "Inception Score (generated)";
            s.MarkerSize = 5;
            if (latest.Real.InceptionScore is double r && double.IsFinite(r))
            {
                var line = plt.Add.HorizontalLine(r);
                line.LinePattern = ScottPlot.LinePattern.Dashed;
                line.Color = s.Color;
                line.LegendText = "Inception Score (real)";
            }
            plt.Axes.Left.Label.Text = "Inception Score";
        }
        if (withFd.Count > 0)
        {
            var s = plt.Add.Scatter(withFd.Select(e => (double)e.Step).ToArray(), withFd.Select(e => e.Generated.FrechetDistance!.Value).ToArray());
            s.LegendText = "Fréchet distance (generated)";
            s.MarkerSize = 5;
            s.Axes.YAxis = plt.Axes.Right;
            if (latest.Real.FrechetDistance is double r && double.IsFinite(r))
            {
                var line = plt.Add.HorizontalLine(r);
                line.LinePattern = ScottPlot.LinePattern.Dashed;
                line.Color = s.Color;
                line.Axes.YAxis = plt.Axes.Right;
                line.LegendText = "Fréchet distance (real)";
            }
            plt.Axes.Right.Label.Text = "Fréchet distance";
        }
        plt.Title("Evaluation history");
        plt.XLabel("step");
        plt.ShowLegend();
        return plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }
}
