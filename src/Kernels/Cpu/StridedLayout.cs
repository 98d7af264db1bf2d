namespace GanAudio.Kernels.Cpu;

/// <summary>A logical shape with the strides of up to two operands (output is contiguous), simplified by dropping
/// size-1 dimensions and merging neighbours that are contiguous with each other in every operand.</summary>
internal sealed class StridedLayout
{
    public readonly int[] Shape;
    public readonly int[] StridesA;
    public readonly int[] StridesB;

    public StridedLayout(int[] shape, int[] stridesA, int[]? stridesB)
    {
        var sh = new List<int>();
        var sa = new List<int>();
        var sb = new List<int>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            int a = stridesA[d], b = stridesB?[d] ?? 0;
            int last = sh.Count - 1;
            if (last >= 0 && sa[last] == a * shape[d] && sb[last] == b * shape[d])
            {
                sh[last] *= shape[d];
                sa[last] = a;
                sb[last] = b;
            }
            else
            {
                sh.Add(shape[d]);
                sa.Add(a);
                sb.Add(b);
            }
        }
        if (sh.Count == 0)
        {
            sh.Add(1);
            sa.Add(0);
            sb.Add(0);
        }
        Shape = sh.ToArray();
        StridesA = sa.ToArray();
        StridesB = sb.ToArray();
    }

    public int Rank => Shape.Length;

    public int Inner => Shape[^1];

    /// <summary>Number of rows (product of all but the last dimension).</summary>
    public long Rows
    {
        get
        {
            long r = 1;
            for (int d = 0; d < Shape.Length - 1; d++) r *= Shape[d];
            return r;
        }
    }

    /// <summary>Start offsets of row <paramref name="row"/> in operands A and B.</summary>
    public (long A, long B) RowOffsets(long row)
    {
        long oa = 0, ob = 0;
        for (int d = Shape.Length - 2; d >= 0; d--)
        {
            long idx = row % Shape[d];
            row /= Shape[d];
            oa += idx * StridesA[d];
            ob += idx * StridesB[d];
        }
        return (oa, ob);
    }
}
