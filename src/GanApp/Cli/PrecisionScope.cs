using GanAudio.App.Training;
using GanAudio.Tensors;

namespace GanAudio.App.Cli;

/// <summary>Sets <see cref="Devices.Precision"/> for a command and restores the previous value when disposed
/// (commands also run in-process in tests).</summary>
public sealed class PrecisionScope : IDisposable
{
    private readonly Kernels.MathPrecision saved;

    private PrecisionScope(PrecisionKind p)
    {
        saved = Devices.Precision;
        Devices.Precision = p.ToMath();
    }

    public static PrecisionScope Set(PrecisionKind p) => new(p);

    /// <summary>generate's <c>--precision</c>: the word given, else the run's config.json value (tf32 for runs made before
    /// the option existed).</summary>
    public static PrecisionKind For(RunFolder run, string? word)
    {
        if (word is not null) return Choice.Parse<PrecisionKind>("--precision", word);
        if (!File.Exists(run.ConfigPath)) return PrecisionKind.Tf32;  // LoadGenerator reports the missing file
        return TrainConfig.FromJson(File.ReadAllText(run.ConfigPath), run.ConfigPath).Precision;
    }

    public void Dispose() => Devices.Precision = saved;
}
