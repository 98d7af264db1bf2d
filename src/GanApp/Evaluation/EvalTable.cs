using System.Globalization;
using Spectre.Console;

namespace GanAudio.App.Evaluation;

/// <summary>The rows of an evaluation table (metric name, value per set), shared by the console table and the report.</summary>
public static class EvalTable
{
    public static IReadOnlyList<(string Metric, string Hint, Func<MetricSet, string> Value)> Rows { get; } =
    [
        ("Inception Score", "higher is better; 1 … number of classes", m => m.InceptionScore is { } v ? $"{F(v, 2)} ± {F(m.InceptionScoreStd ?? 0, 2)}" : "–"),
        ("Fréchet distance", "to the reference half's features; lower is better", m => m.FrechetDistance is { } v ? F(v, 3) : "–"),
        ("class accuracy", "classified as the class asked for", m => m.ClassAccuracy is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "–"),
        ("classes covered", "classes that are the top class of some clip", m => m.ClassesCovered is { } v ? $"{v} of {m.ClassCount}" : "–"),
        ("nearest-neighbour distance", "RMS log-mel difference to the closest reference clip at any shift; ≪ real = memorised", m => m.NearestNeighbour is { } v ? F(v, 3) : "–"),
        ("spectral flatness", "≈1 noise, ≈0 tones", m => F(m.SpectralFlatness, 4)),
        ("pitch precision", "clips within 3% of a listed pitch", m => m.PitchPrecision is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "–"),
        ("pitch recall", "listed pitches produced", m => m.PitchRecall is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "–"),
        ("clips", "", m => m.Count.ToString(CultureInfo.InvariantCulture)),
    ];

    public static string F(double v, int digits) => double.IsFinite(v) ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "–";

    public static void Print(EvalEntry e)
    {
        var t = new Table().Title($"evaluation at step {e.Step}");
        t.AddColumn("metric");
        t.AddColumn(new TableColumn("generated").RightAligned());
        t.AddColumn(new TableColumn("real (held-out)").RightAligned());
        t.AddColumn(new TableColumn("uniform noise").RightAligned());
        foreach (var (metric, _, value) in Rows) t.AddRow(Markup.Escape(metric), value(e.Generated), value(e.Real), value(e.Noise));
        AnsiConsole.Write(t);
        if (e.Generated.PerClassAccuracy is { Count: > 0 } per)
            Console.WriteLine("per-class accuracy: " + string.Join(", ", per.Select(kv => $"{kv.Key} {kv.Value:P0}")));
    }
}
