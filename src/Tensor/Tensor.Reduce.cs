using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

internal sealed record ReduceAttrs(int[] Axes, bool KeepDim, int[] InputShape);

public sealed partial class Tensor
{
    /// <summary>Sum over axes (all when none given) (torch.sum).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDim = false) => ReduceRecorded(ReduceOp.Sum, OpKind.Sum, axes, keepDim);

    public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);

    /// <summary>Mean over axes (torch.mean).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDim = false) => ReduceRecorded(ReduceOp.Mean, OpKind.Mean, axes, keepDim);

    public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);

    /// <summary>Maximum over axes (torch.amax); the gradient is shared evenly among ties.</summary>
    public Tensor Max(int[]? axes = null, bool keepDim = false) => ReduceRecorded(ReduceOp.Max, OpKind.Max, axes, keepDim);

    /// <summary>Minimum over axes (torch.amin).</summary>
    public Tensor Min(int[]? axes = null, bool keepDim = false) => ReduceRecorded(ReduceOp.Min, OpKind.Min, axes, keepDim);

    /// <summary>Σ x² over axes.</summary>
    public Tensor SumSquares(int[]? axes = null, bool keepDim = false) => ReduceRecorded(ReduceOp.SumSquares, OpKind.SumSquares, axes, keepDim);

    /// <summary>Shape after reducing <paramref name="axes"/> with keepDim.</summary>
    internal static int[] KeptShape(int[] shape, int[] axes)
    {
        var s = (int[])shape.Clone();
        foreach (int a in axes) s[a] = 1;
        return s;
    }

    private Tensor ReduceRecorded(ReduceOp op, OpKind kind, int[]? axes, bool keepDim)
    {
        var ax = ShapeUtil.NormalizeAxes(axes, Rank, kind.ToString());
        var kept = KeptShape(Shape, ax);
        var r = ReduceKernel(op, ax);
        var outShape = keepDim ? kept : Shape.Where((_, i) => !ax.Contains(i)).ToArray();
        var y = ShapeUtil.SameShape(r.Shape, outShape) ? r : ReshapeOwned(r, outShape);
        return Recorder.Record(y, kind, new ReduceAttrs(ax, keepDim, Shape), this);
    }

    /// <summary>A reshaped view of a fresh contiguous tensor, disposing the original handle.</summary>
    private static Tensor ReshapeOwned(Tensor r, int[] shape)
    {
        var v = r.View(shape, ShapeUtil.ContiguousStrides(shape), r.Offset);
        r.Dispose();
        return v;
    }

    /// <summary>Runs the [outer, n, inner] kernel once per run of consecutive axes; result has keepDim shape.</summary>
    private Tensor ReduceKernel(ReduceOp op, int[] axes)
    {
        var cur = Dense(out bool tmp);
        var shape = (int[])Shape.Clone();
        bool first = true;
        // group consecutive axes, reduce from the last group to the first
        var groups = new List<(int Start, int End)>();
        foreach (int a in axes)
        {
            if (groups.Count > 0 && groups[^1].End == a - 1) groups[^1] = (groups[^1].Start, a);
            else groups.Add((a, a));
        }
        if (groups.Count == 0)
        {
            var c = tmp ? cur : cur.ContiguousCopy();
            return c;
        }
        for (int g = groups.Count - 1; g >= 0; g--)
        {
            var (s, e) = groups[g];
            int outer = (int)ShapeUtil.NumelLong(shape.AsSpan(0, s));
            int n = (int)ShapeUtil.NumelLong(shape.AsSpan(s, e - s + 1));
            int inner = (int)ShapeUtil.NumelLong(shape.AsSpan(e + 1));
            for (int d = s; d <= e; d++) shape[d] = 1;
            var next = Empty(shape, DType, Device);
            var kop = first || op is ReduceOp.Max or ReduceOp.Min or ReduceOp.Mean ? op : ReduceOp.Sum;
            if (next.Numel > 0) Backend.Reduce(kop, cur.Buffer, next.Buffer, outer, n, inner);
            if (!ReferenceEquals(cur, this)) cur.Dispose();
            cur = next;
            first = false;
        }
        return cur;
    }
}
