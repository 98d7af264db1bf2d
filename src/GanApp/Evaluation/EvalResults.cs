using System.Text.Json;
using GanAudio.App.Training;
using GanAudio.Nn.Checkpoints;

namespace GanAudio.App.Evaluation;

/// <summary>The metrics of one set of clips (generated, real held-out, or noise). Null where a metric does not apply
/// (no classifier, unconditional model, not tone data).</summary>
public sealed record MetricSet
{
    public int Count { get; init; }
    public double? InceptionScore { get; init; }
    public double? InceptionScoreStd { get; init; }
    public double? FrechetDistance { get; init; }
    /// <summary>Share of clips classified as the class they were asked for (conditional generators, labelled real clips).</summary>
    public double? ClassAccuracy { get; init; }
    public Dictionary<string, double>? PerClassAccuracy { get; init; }
    /// <summary>Classes that are the classifier's top class for at least one clip (how many of the classes a generator
    /// covers; SC09 papers count the digits heard).</summary>
    public int? ClassesCovered { get; init; }
    public int? ClassCount { get; init; }
    /// <summary>Mean distance (RMS log-mel difference) to the nearest clip of the reference (training) half.</summary>
    public double? NearestNeighbour { get; init; }
    public double SpectralFlatness { get; init; }
    public double? PitchPrecision { get; init; }
    public double? PitchRecall { get; init; }
}

/// <summary>One evaluation of a run at one step, with the baselines computed alongside.</summary>
public sealed record EvalEntry
{
    public long Step { get; init; }
    public string? Classifier { get; init; }
    public DateTime Time { get; init; }
    public MetricSet Generated { get; init; } = new();
    public MetricSet Real { get; init; } = new();
    public MetricSet Noise { get; init; } = new();
}

/// <summary><c>runs/&lt;name&gt;/eval.json</c>: every evaluation of the run by step (one per step, the newest wins).</summary>
public sealed record EvalFile
{
    public const string FileName = "eval.json";

    public string Format { get; init; } = "ganaudio-eval-1";
    public List<EvalEntry> History { get; init; } = new();

    public EvalEntry? Latest => History.Count == 0 ? null : History[^1];

    public static string PathIn(string runRoot) => Path.Combine(runRoot, FileName);

    public static EvalFile Load(string runRoot)
    {
        var path = PathIn(runRoot);
        if (!File.Exists(path)) return new EvalFile();
        try
        {
            return JsonSerializer.Deserialize<EvalFile>(File.ReadAllText(path), Options) ?? new EvalFile();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an evaluation file ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>Adds (or replaces) the entry for its step and writes the file atomically.</summary>
    public static EvalFile Append(string runRoot, EvalEntry entry)
    {
        var file = Load(runRoot);
        var history = file.History.Where(e => e.Step != entry.Step).Append(entry).OrderBy(e => e.Step).ToList();
        var updated = file with { History = history };
        AtomicFile.WriteAllText(PathIn(runRoot), JsonSerializer.Serialize(updated, Options));
        return updated;
    }

    private static readonly JsonSerializerOptions Options = new(TrainConfig.Json)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
