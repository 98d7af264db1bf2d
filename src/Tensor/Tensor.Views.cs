using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

internal sealed record ShapeAttrs(int[] Shape);

internal sealed record AxesAttrs(int[] Axes);

internal sealed record SliceAttrs(int Axis, int Start, int Length, int Size);

internal sealed record PadAttrs(int Axis, int Before, int After);

internal sealed record CatAttrs(int Axis, int[] Sizes);

public sealed partial class Tensor
{
    /// <summary>A tensor with the same data and a new shape (torch.reshape); one dimension may be −1.
    /// A view when the data is contiguous, else a copy.</summary>
    public Tensor Reshape(params int[] shape)
    {
        shape = InferShape(shape);
        Tensor y;
        if (IsContiguous) y = View(shape, ShapeUtil.ContiguousStrides(shape), Offset);
        else
        {
            using var c = ContiguousCopy();
            y = c.View(shape, ShapeUtil.ContiguousStrides(shape), 0);
        }
        return Recorder.Record(y, OpKind.Reshape, new ShapeAttrs(Shape), this);
    }

    private int[] InferShape(int[] shape)
    {
        shape = (int[])shape.Clone();
        int infer = Array.IndexOf(shape, -1);
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
            if (i != infer) known *= shape[i];
        if (infer >= 0)
        {
            if (known == 0 || Numel % known != 0) throw TensorShapeException.For("Reshape", "cannot infer the −1 dimension", Shape, shape);
            shape[infer] = (int)(Numel / known);
        }
        if (ShapeUtil.NumelLong(shape) != Numel) throw TensorShapeException.For("Reshape", "element counts differ", Shape, shape);
        return shape;
    }

    /// <summary>Flattens dimensions startAxis..endAxis into one (torch.flatten).</summary>
    public Tensor Flatten(int startAxis = 0, int endAxis = -1)
    {
        int s = ShapeUtil.NormalizeAxis(startAxis, Rank, "Flatten"), e = ShapeUtil.NormalizeAxis(endAxis, Rank, "Flatten");
        var shape = new List<int>(Shape[..s]) { (int)ShapeUtil.NumelLong(Shape.AsSpan(s, e - s + 1)) };
        shape.AddRange(Shape[(e + 1)..]);
        return Reshape(shape.ToArray());
    }

    /// <summary>Inserts a dimension of size 1 (torch.unsqueeze).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        var shape = Shape.ToList();
        shape.Insert(a, 1);
        return Reshape(shape.ToArray());
    }

    /// <summary>Removes a dimension of size 1 (torch.squeeze(dim)).</summary>
    public Tensor Squeeze(int axis)
    {
        int a = ShapeUtil.NormalizeAxis(axis, Rank, "Squeeze");
        if (Shape[a] != 1) throw TensorShapeException.For("Squeeze", $"axis {axis} has size {Shape[a]}, not 1", Shape);
        var shape = Shape.ToList();
        shape.RemoveAt(a);
        return Reshape(shape.ToArray());
    }

    /// <summary>Reorders dimensions (torch.permute); a view.</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank) throw TensorShapeException.For("Permute", $"{dims.Length} dims given for rank {Rank}", Shape);
        var d = dims.Select(x => ShapeUtil.NormalizeAxis(x, Rank, "Permute")).ToArray();
        if (d.Distinct().Count() != Rank) throw TensorShapeException.For("Permute", "dims repeat", Shape);
        var y = View(d.Select(i => Shape[i]).ToArray(), d.Select(i => Strides[i]).ToArray(), Offset);
        return Recorder.Record(y, OpKind.Permute, new AxesAttrs(d), this);
    }

    /// <summary>Swaps two dimensions (torch.transpose); a view.</summary>
    public Tensor Transpose(int a, int b)
    {
        var d = Enumerable.Range(0, Rank).ToArray();
        int x = ShapeUtil.NormalizeAxis(a, Rank, "Transpose"), z = ShapeUtil.NormalizeAxis(b, Rank, "Transpose");
        (d[x], d[z]) = (d[z], d[x]);
        return Permute(d);
    }

    /// <summary>Transpose of a 2-D tensor (torch.t).</summary>
    public Tensor T()
    {
        if (Rank != 2) throw TensorShapeException.For("T", "needs a 2-D tensor", Shape);
        return Transpose(0, 1);
    }

    /// <summary>Elements start..start+length of one axis (torch.narrow); a view.</summary>
    public Tensor Slice(int axis, int start, int length)
    {
        int a = ShapeUtil.NormalizeAxis(axis, Rank, "Slice");
        if (start < 0 || length < 0 || start + length > Shape[a])
            throw TensorShapeException.For("Slice", $"range [{start}, {start + length}) outside axis {a} of size {Shape[a]}", Shape);
        var shape = (int[])Shape.Clone();
        shape[a] = length;
        var y = View(shape, (int[])Strides.Clone(), Offset + start * Strides[a]);
        return Recorder.Record(y, OpKind.Slice, new SliceAttrs(a, start, length, Shape[a]), this);
    }

    /// <summary>Pads one axis with zeros: <paramref name="before"/> in front, <paramref name="after"/> behind (F.pad).</summary>
    public Tensor Pad(int axis, int before, int after)
    {
        int a = ShapeUtil.NormalizeAxis(axis, Rank, "Pad");
        if (before < 0 || after < 0) throw TensorShapeException.For("Pad", "negative padding", Shape);
        var shape = (int[])Shape.Clone();
        shape[a] += before + after;
        var y = Zeros(shape, DType, Device);
        if (Numel > 0)
        {
            var dstStrides = y.Strides;
            Backend.CopyStrided(Operand(), Shape, new StridedOperand(y.Buffer, before * dstStrides[a], dstStrides));
        }
        return Recorder.Record(y, OpKind.Pad, new PadAttrs(a, before, after), this);
    }

    /// <summary>Broadcasts size-1 dimensions to a larger shape without copying (torch.expand).</summary>
    public Tensor Expand(params int[] shape)
    {
        if (shape.Length < Rank) throw TensorShapeException.For("Expand", "target has fewer dimensions", Shape, shape);
        var target = (int[])shape.Clone();
        int off = target.Length - Rank;
        for (int i = 0; i < target.Length; i++)
        {
            int j = i - off;
            if (target[i] == -1) target[i] = j >= 0 ? Shape[j] : throw TensorShapeException.For("Expand", "−1 for a new dimension", Shape, shape);
            if (j >= 0 && Shape[j] != 1 && Shape[j] != target[i]) throw TensorShapeException.For("Expand", $"axis {j} of size {Shape[j]} cannot expand", Shape, shape);
        }
        var y = View(target, ShapeUtil.BroadcastStrides(Shape, Strides, target), Offset);
        return Recorder.Record(y, OpKind.Expand, new ShapeAttrs(Shape), this);
    }

    /// <summary>A contiguous tensor with the same values (torch.contiguous); shares storage when already contiguous.</summary>
    public Tensor Contiguous()
    {
        var y = IsContiguous ? View(Shape, Strides, Offset) : ContiguousCopy();
        return Recorder.Record(y, OpKind.Contiguous, null, this);
    }

    /// <summary>Converts to another dtype (torch.Tensor.to(dtype)); differentiable.</summary>
    public Tensor To(DType dtype)
    {
        dtype.RequireSupported("Tensor.To(dtype)");
        var y = dtype == DType ? View(Shape, Strides, Offset) : ContiguousCopy(dtype);
        return Recorder.Record(y, OpKind.Cast, null, this);
    }

    /// <summary>Concatenates along an existing axis (torch.cat).</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new TensorShapeException("Cat: no tensors");
        var first = tensors[0];
        int a = ShapeUtil.NormalizeAxis(axis, first.Rank, "Cat");
        var shape = (int[])first.Shape.Clone();
        shape[a] = 0;
        foreach (var t in tensors)
        {
            CheckSame("Cat", first, t);
            for (int d = 0; d < first.Rank; d++)
                if (t.Rank != first.Rank || (d != a && t.Shape[d] != first.Shape[d]))
                    throw TensorShapeException.For("Cat", $"shapes differ outside axis {a}", first.Shape, t.Shape);
            shape[a] += t.Shape[a];
        }
        var y = Empty(shape, first.DType, first.Device);
        int at = 0;
        foreach (var t in tensors)
        {
            if (t.Numel > 0) t.Backend.CopyStrided(t.Operand(), t.Shape, new StridedOperand(y.Buffer, at * y.Strides[a], y.Strides));
            at += t.Shape[a];
        }
        return Recorder.Record(y, OpKind.Cat, new CatAttrs(a, tensors.Select(t => t.Shape[a]).ToArray()), tensors.ToArray());
    }

    /// <summary>Stacks along a new axis (torch.stack).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        var parts = tensors.Select(t => t.Unsqueeze(axis)).ToList();
        var y = Cat(parts, axis);
        if (!GradMode.Enabled || !parts.Any(p => p.RequiresGrad)) foreach (var p in parts) p.Dispose();
        return y;
    }

    /// <summary>Sums a gradient over broadcast axes so it has <paramref name="shape"/> (the one broadcasting rule).</summary>
    public Tensor SumToShape(int[] shape)
    {
        if (ShapeUtil.SameShape(Shape, shape)) return this;
        int off = Rank - shape.Length;
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
            if (i < off || (shape[i - off] == 1 && Shape[i] != 1)) axes.Add(i);
        var s = axes.Count > 0 ? Sum(axes.ToArray(), keepDim: true) : this;
        return s.Reshape(shape);
    }
}
