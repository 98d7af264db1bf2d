namespace GanAudio.App.Training;

/// <summary>The JSON half of a checkpoint: everything besides tensors that exact resume needs.</summary>
public sealed record TrainerState
{
    public int Format { get; init; } = 1;
    public long Step { get; init; }
    public long OptimizerGSteps { get; init; }
    public long OptimizerDSteps { get; init; }
    /// <summary>(seed, offset) of each random stream: z, gp, shuffle, init.</summary>
    public Dictionary<string, ulong[]> Random { get; init; } = new();
    public string DataState { get; init; } = "";
    public string[] ClassNames { get; init; } = [];
    public List<double[]> LossHistory { get; init; } = new();
}
