using System.Text.Json;
using System.Text.Json.Nodes;

namespace GanAudio.App.Training;

/// <summary>Checks a run's configuration before anything is written into its folder: on resume, the options that fix
/// the model's shapes, the data and the random streams must stay as they were; everything else (steps, schedule,
/// learning rates, device, threads, evaluation, …) may change.</summary>
public static class RunValidation
{
    /// <summary>config.json keys that cannot change on resume.</summary>
    public static readonly string[] FixedOnResume =
    [
        "model", "length", "model-size", "latent", "batch-norm", "upsample", "post-filter", "hidden-units", "hidden-layers",
        "conv-layers", "extra-layers", "channels", "conditional", "optimizer", "seed",
        "data", "genres", "sample-rate", "hop", "random-crop", "normalize",
        "stft-discriminators", "stft-channels", "wave-discriminator", "preset", "generator-output",
    ];

    /// <summary>Throws <see cref="UsageException"/> (one line: the option, the run's value and the new one) when a fixed option changed.</summary>
    public static void RequireResumable(TrainConfig saved, TrainConfig requested, string runRoot)
    {
        var a = JsonSerializer.SerializeToNode(saved, TrainConfig.Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(requested, TrainConfig.Json)!.AsObject();
        foreach (var key in FixedOnResume)
        {
            if (!a.ContainsKey(key) && !b.ContainsKey(key)) continue;
            if (JsonNode.DeepEquals(a[key], b[key])) continue;
            throw new UsageException($"--{key} cannot change on resume: the run {runRoot} has {Show(a[key])}, the command asks for {Show(b[key])}; " +
                                     "drop the option, or start a new run with --out");
        }
    }

    private static string Show(JsonNode? n) => n switch
    {
        null => "none",
        JsonArray arr => arr.Count == 0 ? "none" : string.Join(",", arr.Select(x => x?.ToString())),
        _ => n.ToJsonString().Trim('"'),
    };

    /// <summary>Refuses a run that would train nothing.</summary>
    public static void RequireSteps(TrainConfig cfg)
    {
        if (cfg.Steps < 1) throw new UsageException($"--steps {cfg.Steps}: nothing to train; give at least 1");
    }
}
