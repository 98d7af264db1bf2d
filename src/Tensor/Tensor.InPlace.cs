using GanAudio.Kernels;

namespace GanAudio.Tensors;

/// <summary>In-place updates for optimizers and gradient buffers. They are not recorded by autograd; the target must
/// be a dense tensor (contiguous, as parameters and gradients are).</summary>
public sealed partial class Tensor
{
    private void RequireDenseTarget(string op)
    {
        if (!IsContiguous) throw TensorShapeException.For(op, "in-place target must be contiguous", Shape);
    }

    /// <summary>this ← this + alpha · other (broadcast to this shape).</summary>
    public Tensor AddInPlace(Tensor other, double alpha = 1.0)
    {
        RequireDenseTarget("AddInPlace");
        if (Offset != 0) throw TensorShapeException.For("AddInPlace", "in-place target must start at offset 0", Shape);
        CheckSame("AddInPlace", this, other);
        if (Numel == 0) return this;
        var shape = Shape;
        ShapeUtil.Broadcast("AddInPlace", shape, other.Shape);
        if (alpha == 1.0)
            Backend.Binary(BinaryOp.Add, Operand(), other.Operand(shape), Buffer, shape, 0, 0);
        else
        {
            using var scaled = other.Mul(alpha);
            Backend.Binary(BinaryOp.Add, Operand(), scaled.Operand(shape), Buffer, shape, 0, 0);
        }
        return this;
    }

    /// <summary>this[…, start:start+n, …] ← this[…, start:start+n, …] + g along <paramref name="axis"/>, where n = g's
    /// size there (the other axes match). Each element is computed as in <c>this + g.Pad(axis, start, …)</c>; the elements
    /// outside the slice are left as they are (the padded sum would turn a −0 there into +0).</summary>
    internal Tensor AddIntoSlice(int axis, int start, Tensor g)
    {
        RequireDenseTarget("AddIntoSlice");
        CheckSame("AddIntoSlice", this, g);
        int a = ShapeUtil.NormalizeAxis(axis, Rank, "AddIntoSlice");
        if (g.Rank != Rank) throw TensorShapeException.For("AddIntoSlice", "ranks differ", Shape, g.Shape);
        for (int d = 0; d < Rank; d++)
            if (d == a ? start < 0 || start + g.Shape[d] > Shape[d] : g.Shape[d] != Shape[d])
                throw TensorShapeException.For("AddIntoSlice", $"the slice does not fit at {start} on axis {a}", Shape, g.Shape);
        if (g.Numel == 0) return this;
        var region = new StridedOperand(Buffer, Offset + start * Strides[a], Strides);
        using var sum = Empty(g.Shape, DType, Device);
        Backend.Binary(BinaryOp.Add, region, g.Operand(), sum.Buffer, g.Shape, 0, 0);
        Backend.CopyStrided(sum.Operand(), g.Shape, region);
        return this;
    }

    /// <summary>this ← this · s.</summary>
    public Tensor MulInPlace(double s)
    {
        RequireDenseTarget("MulInPlace");
        if (Offset != 0) throw TensorShapeException.For("MulInPlace", "in-place target must start at offset 0", Shape);
        if (Numel > 0) Backend.Unary(UnaryOp.MulScalar, Buffer, Buffer, Numel, s);
        return this;
    }

    /// <summary>this ← src (broadcast to this shape, converting dtype).</summary>
    public Tensor CopyFrom(Tensor src)
    {
        RequireDenseTarget("CopyFrom");
        if (src.Device != Device) throw TensorShapeException.For("CopyFrom", $"devices differ ({src.Device} vs {Device})", src.Shape, Shape);
        ShapeUtil.Broadcast("CopyFrom", Shape, src.Shape);
        if (Numel > 0) Backend.Copy(src.Operand(Shape), Shape, Buffer, Offset);
        return this;
    }

    /// <summary>this ← value everywhere.</summary>
    public Tensor FillInPlace(double value)
    {
        RequireDenseTarget("FillInPlace");
        if (Numel > 0) Backend.Fill(Buffer, Offset, Numel, value);
        return this;
    }

    public Tensor ZeroInPlace() => FillInPlace(0);
}
