using System.Globalization;
using System.Net;
using System.Text;
using GanAudio.App.Audio;
using GanAudio.App.Evaluation;
using GanAudio.App.Training;

namespace GanAudio.App.Report;

/// <summary>Options of <see cref="ReportBuilder"/>; the caps keep report.html at a few MB.</summary>
public sealed record ReportOptions
{
    /// <summary>Sample steps shown (evenly chosen, always the last).</summary>
    public int MaxSampleSteps { get; init; } = 6;
    public int SamplesPerStep { get; init; } = 4;
    public int RealClips { get; init; } = 4;
}

/// <summary>Builds one self-contained <c>report.html</c> for a run: the loss plot, the latest evaluation table beside
/// its baselines and the evaluation history, and per sample step the fixed-latent samples as audio players (WAV data
/// URIs) with spectrograms (PNG data URIs), plus a few real clips for comparison. Nothing is fetched from elsewhere.</summary>
public static class ReportBuilder
{
    public const string FileName = "report.html";

    public static string Build(RunFolder run, ReportOptions o, Action<string>? log = null)
    {
        if (!File.Exists(run.ConfigPath)) throw new UsageException($"--run {run.Root}: no config.json there; is it a run folder?");
        var cfg = TrainConfig.FromJson(File.ReadAllText(run.ConfigPath), run.ConfigPath);
        var h = new StringBuilder();
        string name = Path.GetFileName(run.Root.TrimEnd(Path.DirectorySeparatorChar));
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>GanAudio report: ").Append(E(name)).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".clips{display:flex;flex-wrap:wrap;gap:12px}.clip{border:1px solid #ddd;padding:6px;font-size:small}")
            .Append(".clip img{display:block;width:250px;height:128px;image-rendering:pixelated}.hint{color:#666;font-size:small}")
            .Append("</style></head><body>\n");
        h.Append("<h1>GanAudio report: ").Append(E(name)).Append("</h1>\n<p>model ").Append(E(cfg.Model.Name())).Append(", ")
            .Append(cfg.Length).Append(" samples at ").Append(cfg.SampleRate).Append(" Hz, loss ").Append(E(cfg.Loss.Name())).Append(", data ")
            .Append(E(cfg.Data ?? "built-in tones")).Append(", generated ").Append(DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)).Append("</p>\n");
        AppendLosses(h, run, log);
        AppendMetrics(h, run);
        AppendSamples(h, run, o);
        AppendReal(h, cfg, o, log);
        h.Append("</body></html>\n");
        return h.ToString();
    }

    /// <summary>Builds the report and writes it into the run folder; returns its path.</summary>
    public static string Write(RunFolder run, ReportOptions o, Action<string>? log = null)
    {
        var html = Build(run, o, log);
        var path = Path.Combine(run.Root, FileName);
        Nn.Checkpoints.AtomicFile.WriteAllText(path, html);
        return path;
    }

    private static void AppendLosses(StringBuilder h, RunFolder run, Action<string>? log)
    {
        h.Append("<h2>Losses</h2>\n");
        try
        {
            if (File.Exists(run.MetricsPath)) LossPlot.Render(run.MetricsPath, run.LossPlotPath);
        }
        catch (Exception e) when (e is IOException or TypeInitializationException or DllNotFoundException or InvalidOperationException or FormatException)
        {
            log?.Invoke($"warning: could not redraw {run.LossPlotPath}: {e.Message}");
        }
        if (File.Exists(run.LossPlotPath))
            h.Append("<img id=\"loss-plot\" alt=\"training losses\" width=\"900\" src=\"").Append(DataUri("image/png", File.ReadAllBytes(run.LossPlotPath))).Append("\">\n");
        else h.Append("<p id=\"loss-missing\">No losses logged yet (metrics.csv is missing).</p>\n");
    }

    private static void AppendMetrics(StringBuilder h, RunFolder run)
    {
        h.Append("<h2>Metrics</h2>\n");
        var file = EvalFile.Load(run.Root);
        if (file.Latest is not { } e)
        {
            h.Append("<p id=\"metrics-missing\">No evaluation yet: run <code>GanApp eval --run ").Append(E(run.Root))
                .Append(" --classifier &lt;folder&gt;</code> or train with <code>--eval-every N</code>.</p>\n");
            return;
        }
        h.Append("<table id=\"metrics\"><caption>step ").Append(e.Step).Append(e.Classifier is null ? " (no classifier)" : "").Append("</caption>\n")
            .Append("<tr><th>metric</th><th>generated</th><th>real (held-out)</th><th>uniform noise</th><th>meaning</th></tr>\n");
        foreach (var (metric, hint, value) in EvalTable.Rows)
            h.Append("<tr><td>").Append(E(metric)).Append("</td><td>").Append(E(value(e.Generated))).Append("</td><td>").Append(E(value(e.Real)))
                .Append("</td><td>").Append(E(value(e.Noise))).Append("</td><td class=\"hint\">").Append(E(hint)).Append("</td></tr>\n");
        h.Append("</table>\n");
        if (e.Generated.PerClassAccuracy is { Count: > 0 } per)
            h.Append("<p>per-class accuracy: ").Append(E(string.Join(", ", per.Select(kv => $"{kv.Key} {kv.Value:P0}")))).Append("</p>\n");
        h.Append("<h3>History</h3>\n");
        if (MetricPlot.Render(file.History) is { } png)
            h.Append("<img id=\"metrics-history-plot\" alt=\"evaluation history\" width=\"900\" src=\"").Append(DataUri("image/png", png)).Append("\">\n");
        h.Append("<table id=\"metrics-history\"><tr><th>step</th>");
        foreach (var (metric, _, _) in EvalTable.Rows) h.Append("<th>").Append(E(metric)).Append("</th>");
        h.Append("</tr>\n");
        foreach (var x in file.History)
        {
            h.Append("<tr><td>").Append(x.Step).Append("</td>");
            foreach (var (_, _, value) in EvalTable.Rows) h.Append("<td>").Append(E(value(x.Generated))).Append("</td>");
            h.Append("</tr>\n");
        }
        h.Append("</table>\n");
    }

    private static void AppendSamples(StringBuilder h, RunFolder run, ReportOptions o)
    {
        h.Append("<h2>Samples (fixed latents)</h2>\n");
        var steps = SampleSteps(run);
        if (steps.Count == 0)
        {
            h.Append("<p>No samples yet.</p>\n");
            return;
        }
        var shown = Pick(steps, o.MaxSampleSteps);
        if (shown.Count < steps.Count) h.Append("<p class=\"hint\">").Append(shown.Count).Append(" of ").Append(steps.Count).Append(" sample steps shown.</p>\n");
        foreach (var (step, dir) in shown)
        {
            h.Append("<section class=\"step\" id=\"step-").Append(step).Append("\"><h3>step ").Append(step).Append("</h3><div class=\"clips\">\n");
            foreach (var wav in Directory.GetFiles(dir, "*.wav").Order(StringComparer.Ordinal).Take(o.SamplesPerStep))
            {
                var bytes = File.ReadAllBytes(wav);
                float[] x;
                try
                {
                    x = AudioFile.Decode(bytes, wav).ToMono(ChannelMode.Average);
                }
                catch (AudioFormatException)
                {
                    continue;
                }
                AppendClip(h, Path.GetFileName(wav), bytes, x);
            }
            h.Append("</div></section>\n");
        }
    }

    private static void AppendReal(StringBuilder h, TrainConfig cfg, ReportOptions o, Action<string>? log)
    {
        h.Append("<h2>Real clips</h2>\n<div class=\"clips\" id=\"real-clips\">\n");
        try
        {
            var ds = EvalData.Load(cfg, null);
            var (segs, labels, _) = ClipSplit.Segments(ds, cfg.Length, cfg.Length, 1);
            // one segment from each class in turn
            var picked = Enumerable.Range(0, segs.Count).GroupBy(i => labels[i]).SelectMany(g => g.Select((i, rank) => (i, rank)))
                .OrderBy(p => p.rank).ThenBy(p => labels[p.i]).Take(o.RealClips).Select(p => p.i);
            foreach (var i in picked)
                AppendClip(h, ds.Genres[labels[i]], WavWriter.Encode([segs[i]], ds.SampleRate), segs[i]);
        }
        catch (Exception e) when (e is UsageException or IOException or ArgumentException)
        {
            log?.Invoke($"warning: no real clips in the report: {e.Message}");
            h.Append("<p>Real clips unavailable: ").Append(E(e.Message)).Append("</p>\n");
        }
        h.Append("</div>\n");
    }

    private static void AppendClip(StringBuilder h, string label, byte[] wav, float[] samples) =>
        h.Append("<div class=\"clip\"><div>").Append(E(label)).Append("</div><audio controls preload=\"metadata\" src=\"")
            .Append(DataUri("audio/wav", wav)).Append("\"></audio><img class=\"spectrogram\" alt=\"spectrogram of ").Append(E(label))
            .Append("\" src=\"").Append(DataUri("image/png", Spectrogram.RenderPng(samples))).Append("\"></div>\n");

    private static List<(long Step, string Dir)> SampleSteps(RunFolder run)
    {
        if (!Directory.Exists(run.SamplesDir)) return [];
        var r = new List<(long, string)>();
        foreach (var d in Directory.GetDirectories(run.SamplesDir, "step-*"))
            if (long.TryParse(Path.GetFileName(d).AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long s)) r.Add((s, d));
        return r.OrderBy(x => x.Item1).ToList();
    }

    /// <summary>At most <paramref name="max"/> items spread evenly, always including the last.</summary>
    public static List<T> Pick<T>(IReadOnlyList<T> items, int max)
    {
        if (items.Count <= max) return items.ToList();
        if (max <= 1) return [items[^1]];
        return Enumerable.Range(0, max).Select(i => items[(int)Math.Round(i * (items.Count - 1) / (double)(max - 1))]).Distinct().ToList();
    }

    private static string DataUri(string mime, byte[] bytes) => $"data:{mime};base64,{Convert.ToBase64String(bytes)}";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
