using System.Globalization;
using GanAudio.Nn.Checkpoints;

namespace GanAudio.App.Training;

/// <summary>The files of one training run:
/// <c>config.json</c>, <c>checkpoints/step-NNNNNN.safetensors</c> + <c>.json</c> (trainer state) and <c>checkpoints/latest</c>,
/// <c>samples/step-NNNNNN/*.wav</c>, <c>metrics.csv</c>, <c>loss.png</c>.</summary>
public sealed class RunFolder
{
    public const string MetricsHeader = "step,wall_time,d_loss,g_loss,gp,wasserstein,steps_per_s";

    public RunFolder(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "config.json");

    public string CheckpointDir => Path.Combine(Root, "checkpoints");

    public string SamplesDir => Path.Combine(Root, "samples");

    public string MetricsPath => Path.Combine(Root, "metrics.csv");

    public string LossPlotPath => Path.Combine(Root, "loss.png");

    public string LatestPointer => Path.Combine(CheckpointDir, "latest");

    public static string StepName(long step) => "step-" + step.ToString("D6", CultureInfo.InvariantCulture);

    public string WeightsPath(long step) => Path.Combine(CheckpointDir, StepName(step) + ".safetensors");

    public string StatePath(long step) => Path.Combine(CheckpointDir, StepName(step) + ".json");

    public string SampleDir(long step) => Path.Combine(SamplesDir, StepName(step));

    public void Create() => Directory.CreateDirectory(Root);

    /// <summary>Steps of complete checkpoints (weights and state both present), newest first.</summary>
    public IReadOnlyList<long> CheckpointSteps()
    {
        if (!Directory.Exists(CheckpointDir)) return [];
        var steps = new List<long>();
        foreach (var f in Directory.EnumerateFiles(CheckpointDir, "step-*.json"))
        {
            var name = Path.GetFileNameWithoutExtension(f);
            if (long.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long s) && File.Exists(WeightsPath(s)))
                steps.Add(s);
        }
        steps.Sort((a, b) => b.CompareTo(a));
        return steps;
    }

    /// <summary>The step the <c>latest</c> pointer names, if it names a complete checkpoint.</summary>
    public long? LatestStep()
    {
        if (!File.Exists(LatestPointer)) return null;
        var text = File.ReadAllText(LatestPointer).Trim();
        if (text.StartsWith("step-", StringComparison.Ordinal) && long.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long s)
            && File.Exists(WeightsPath(s)) && File.Exists(StatePath(s)))
            return s;
        return null;
    }

    public void WriteLatest(long step) => AtomicFile.WriteAllText(LatestPointer, StepName(step) + "\n");

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints.</summary>
    public void Prune(int keep)
    {
        foreach (var s in CheckpointSteps().Skip(keep))
        {
            File.Delete(StatePath(s));
            File.Delete(WeightsPath(s));
        }
    }

    /// <summary>Appends metric rows (creating the file with its header).</summary>
    public void AppendMetrics(IEnumerable<string> rows)
    {
        Directory.CreateDirectory(Root);
        bool fresh = !File.Exists(MetricsPath);
        using var w = new StreamWriter(MetricsPath, append: true);
        if (fresh) w.WriteLine(MetricsHeader);
        foreach (var r in rows) w.WriteLine(r);
    }

    /// <summary>Keeps only metric rows up to <paramref name="step"/> (on resume), atomically.</summary>
    public void TruncateMetrics(long step)
    {
        if (!File.Exists(MetricsPath)) return;
        var keep = File.ReadAllLines(MetricsPath).Where((l, i) => i == 0 || (long.TryParse(l.Split(',')[0], CultureInfo.InvariantCulture, out long s) && s <= step));
        AtomicFile.WriteAllText(MetricsPath, string.Join("\n", keep) + "\n");
    }
}
