using System.Globalization;
using GanAudio.Nn.Checkpoints;

namespace GanAudio.App.Report;

/// <summary>Renders metrics.csv as loss.png (D loss, G loss and the Wasserstein estimate against the step) with ScottPlot.</summary>
public static class LossPlot
{
    public static bool Render(string metricsPath, string pngPath, int width = 900, int height = 500)
    {
        if (!File.Exists(metricsPath)) return false;
        var rows = File.ReadLines(metricsPath).Skip(1)
            .Select(l => l.Split(','))
            .Where(p => p.Length >= 6)
            .Select(p => p.Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray())
            .ToList();
        if (rows.Count == 0) return false;
        var plt = new ScottPlot.Plot();
        double[] steps = rows.Select(r => r[0]).ToArray();
        var d = plt.Add.Scatter(steps, rows.Select(r => r[2]).ToArray());
        d.LegendText = "D loss";
        d.MarkerSize = 0;
        var g = plt.Add.Scatter(steps, rows.Select(r => r[3]).ToArray());
        g.LegendText = "G loss";
        g.MarkerSize = 0;
        var w = plt.Add.Scatter(steps, rows.Select(r => r[5]).ToArray());
        w.LegendText = "Wasserstein estimate";
        w.MarkerSize = 0;
        plt.Title("Training losses");
        plt.XLabel("step");
        plt.YLabel("loss");
        plt.ShowLegend();
        var bytes = plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.WriteAllBytes(pngPath, bytes);
        return true;
    }

    /// <summary>Redraws a run's loss.png; a failure (no native graphics library, a locked file) is one warning line.</summary>
    public static void TryRender(Training.RunFolder run, TextWriter log)
    {
        try
        {
            Render(run.MetricsPath, run.LossPlotPath);
        }
        catch (Exception e) when (e is IOException or TypeInitializationException or DllNotFoundException or InvalidOperationException)
        {
            log.WriteLine($"warning: could not draw {run.LossPlotPath}: {e.Message}");
        }
    }
}
