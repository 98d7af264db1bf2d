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

    /// <summary>Packs the simplified layout of <paramref name="shape"/> with strides <paramref name="sa"/> and <paramref name="sb"/>
    /// (zeros when null): the same simplification as <see cref="StridedLayout"/>, written straight into the fixed arrays so a
    /// launch allocates nothing (a test checks that both agree).</summary>
    public static TwoOperandLayout Build(int[] shape, int[] sa, int[]? sb, out long numel)
    {
        if (shape.Length > Limits.MaxRank) throw new ArgumentException($"rank {shape.Length} above the limit {Limits.MaxRank}");
        if (sa.Length != shape.Length || (sb != null && sb.Length != shape.Length))
            throw new ArgumentException($"strides of rank {sa.Length}/{sb?.Length} for a shape of rank {shape.Length}");
        var s = new TwoOperandLayout();
        int rank = 0;
        long n = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            n *= shape[d];
            if (shape[d] == 1) continue;
            int a = sa[d], b = sb?[d] ?? 0, last = rank - 1;
            if (last >= 0 && s.Sa[last] == (long)a * shape[d] && s.Sb[last] == (long)b * shape[d] && (long)s.Shape[last] * shape[d] <= int.MaxValue)
            {
                s.Shape[last] *= shape[d];
                s.Sa[last] = a;
                s.Sb[last] = b;
            }
            else
            {
                s.Shape[rank] = shape[d];
                s.Sa[rank] = a;
                s.Sb[rank] = b;
                rank++;
            }
        }
        if (rank == 0)
        {
            s.Shape[0] = 1;
            rank = 1;
        }
        s.Rank = rank;
        numel = n;
        return s;
    }
}
