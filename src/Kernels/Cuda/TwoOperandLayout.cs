using System.Runtime.InteropServices;

namespace GanAudio.Kernels.Cuda;

/// <summary>The kernels' <c>TwoOperandLayout</c> (kernels-cu/common.cuh): rank, shape and the strides of two operands,
/// packed from the shared <see cref="StridedLayout"/> (size-1 dimensions dropped, contiguous neighbours merged).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TwoOperandLayout
{
    public int Rank;
    public fixed int Shape[Limits.MaxRank];
    public fixed int Sa[Limits.MaxRank];
    public fixed int Sb[Limits.MaxRank];

    public static TwoOperandLayout Build(int[] shape, int[] sa, int[]? sb, out long numel)
    {
        if (shape.Length > Limits.MaxRank) throw new ArgumentException($"rank {shape.Length} above the limit {Limits.MaxRank}");
        var lay = new StridedLayout(shape, sa, sb);
        var s = new TwoOperandLayout { Rank = lay.Rank };
        for (int d = 0; d < lay.Rank; d++)
        {
            s.Shape[d] = lay.Shape[d];
            s.Sa[d] = lay.StridesA[d];
            s.Sb[d] = lay.StridesB[d];
        }
        numel = lay.Numel;
        return s;
    }
}
