namespace GanAudio.Kernels;

/// <summary>Reductions over the middle axis of a contiguous [outer, n, inner] buffer.</summary>
public enum ReduceOp
{
    Sum,
    Mean,
    Max,
    Min,
    SumSquares,
}
