using System.Runtime.InteropServices;

namespace GanAudio.Kernels.Cuda;

/// <summary>The kernels' <c>TwoOperandLayout</c> (kernels-cu/common.cuh): rank, shape and the strides of two operands,
/// simplified on the host by dropping size-1 dimensions and merging dimensions contiguous in both operands.</summary>
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
        if (sa.Length != shape.Length || (sb != null && sb.Length != shape.Length))
            throw new ArgumentException($"strides of rank {sa.Length}/{sb?.Length} for a shape of rank {shape.Length}");
        var s = new TwoOperandLayout();
        numel = 1;
        foreach (int d in shape) numel *= d;
        int r = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            int a = sa[d], b = sb?[d] ?? 0;
            if (r > 0 && s.Sa[r - 1] == (long)a * shape[d] && s.Sb[r - 1] == (long)b * shape[d])
            {
                s.Shape[r - 1] *= shape[d];
                s.Sa[r - 1] = a;
                s.Sb[r - 1] = b;
            }
            else
            {
                s.Shape[r] = shape[d];
                s.Sa[r] = a;
                s.Sb[r] = b;
                r++;
            }
        }
        if (r == 0)
        {
            s.Shape[0] = 1;
            r = 1;
        }
        s.Rank = r;
        return s;
    }
}
