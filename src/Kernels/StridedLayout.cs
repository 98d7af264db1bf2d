namespace GanAudio.Kernels;

/// <summary>A logical shape with the element strides of up to two operands, simplified by dropping size-1 dimensions and
/// merging a dimension into the one before it when both operands step through them contiguously. The one shape helper of
/// every backend (the CPU loops over it, CUDA packs it into <c>TwoOperandLayout</c>). Products are 64-bit: a merge
/// happens only when <c>stride[d−1] = stride[d]·shape[d]</c> holds exactly and the merged size fits in an int.</summary>
internal sealed class StridedLayout
{
    public readonly int[] Shape;
    public readonly int[] StridesA;
    public readonly int[] StridesB;

    public StridedLayout(int[] shape, int[] stridesA, int[]? stridesB)
    {
        if (stridesA.Length != shape.Length || (stridesB != null && stridesB.Length != shape.Length))
            throw new ArgumentException($"strides of rank {stridesA.Length}/{stridesB?.Length} for a shape of rank {shape.Length}");
        var sh = new List<int>();
        var sa = new List<int>();
        var sb = new List<int>();
        long numel = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            numel *= shape[d];
            if (shape[d] == 1) continue;
            int a = stridesA[d], b = stridesB?[d] ?? 0;
            int last = sh.Count - 1;
            if (last >= 0 && sa[last] == (long)a * shape[d] && sb[last] == (long)b * shape[d] && (long)sh[last] * shape[d] <= int.MaxValue)
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
        Numel = numel;
    }

    /// <summary>Elements of the logical shape (0 when any dimension is 0).</summary>
    public long Numel { get; }

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
