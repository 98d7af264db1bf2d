using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

/// <summary>Parameters of a unary or fused-backward op (α, p, min/max, scalar).</summary>
internal sealed record ScalarAttrs(double A, double B);

public sealed partial class Tensor
{
    /// <summary>This tensor as a dense buffer starting at offset 0: itself, or a temporary copy the caller disposes.</summary>
    internal Tensor Dense(out bool temporary)
    {
        temporary = !(IsContiguous && Offset == 0);
        return temporary ? ContiguousCopy() : this;
    }

    private Tensor UnaryRecorded(UnaryOp op, OpKind kind, double a = 0, double b = 0)
    {
        var x = Dense(out bool tmp);
        var y = Empty(Shape, DType, Device);
        if (y.Numel > 0) Backend.Unary(op, x.Buffer, y.Buffer, y.Numel, a, b);
        if (tmp) x.Dispose();
        return Recorder.Record(y, kind, new ScalarAttrs(a, b), this);
    }

    /// <summary>A unary op with no gradient (masks, signs).</summary>
    private Tensor UnaryPlain(UnaryOp op, double a = 0, double b = 0)
    {
        var x = Dense(out bool tmp);
        var y = Empty(Shape, DType, Device);
        if (y.Numel > 0) Backend.Unary(op, x.Buffer, y.Buffer, y.Numel, a, b);
        if (tmp) x.Dispose();
        return y;
    }

    internal static void CheckSame(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType) throw TensorShapeException.For(op, $"dtypes differ ({a.DType} vs {b.DType})", a.Shape, b.Shape);
        if (a.Device != b.Device) throw TensorShapeException.For(op, $"devices differ ({a.Device} vs {b.Device})", a.Shape, b.Shape);
    }

    private static Tensor BinaryKernel(BinaryOp op, Tensor a, Tensor b, double p0 = 0, double p1 = 0)
    {
        CheckSame(op.ToString(), a, b);
        var shape = ShapeUtil.Broadcast(op.ToString(), a.Shape, b.Shape);
        var y = Empty(shape, a.DType, a.Device);
        if (y.Numel > 0) a.Backend.Binary(op, a.Operand(shape), b.Operand(shape), y.Buffer, shape, p0, p1);
        return y;
    }

    private static Tensor BinaryRecorded(BinaryOp op, OpKind kind, Tensor a, Tensor b, double p0 = 0, double p1 = 0) =>
        Recorder.Record(BinaryKernel(op, a, b, p0, p1), kind, new ScalarAttrs(p0, p1), a, b);

    /// <summary>−x (torch.neg).</summary>
    public Tensor Neg() => UnaryRecorded(UnaryOp.Neg, OpKind.Neg);

    /// <summary>|x| (torch.abs).</summary>
    public Tensor Abs() => UnaryRecorded(UnaryOp.Abs, OpKind.Abs);

    /// <summary>eˣ (torch.exp).</summary>
    public Tensor Exp() => UnaryRecorded(UnaryOp.Exp, OpKind.Exp);

    /// <summary>ln x (torch.log).</summary>
    public Tensor Log() => UnaryRecorded(UnaryOp.Log, OpKind.Log);

    /// <summary>√x (torch.sqrt).</summary>
    public Tensor Sqrt() => UnaryRecorded(UnaryOp.Sqrt, OpKind.Sqrt);

    /// <summary>x² (torch.square).</summary>
    public Tensor Square() => UnaryRecorded(UnaryOp.Square, OpKind.Square);

    /// <summary>tanh x (torch.tanh).</summary>
    public Tensor Tanh() => UnaryRecorded(UnaryOp.Tanh, OpKind.Tanh);

    /// <summary>1 / (1 + e⁻ˣ) (torch.sigmoid).</summary>
    public Tensor Sigmoid() => UnaryRecorded(UnaryOp.Sigmoid, OpKind.Sigmoid);

    /// <summary>max(x, 0) (torch.relu).</summary>
    public Tensor Relu() => UnaryRecorded(UnaryOp.Relu, OpKind.Relu);

    /// <summary>x if x &gt; 0 else α·x (torch.nn.functional.leaky_relu, default α = 0.01).</summary>
    public Tensor LeakyRelu(double alpha = 0.01) => UnaryRecorded(UnaryOp.LeakyRelu, OpKind.LeakyRelu, alpha);

    /// <summary>xᵖ for a scalar exponent (torch.pow(x, p)).</summary>
    public Tensor Pow(double p) => UnaryRecorded(UnaryOp.Pow, OpKind.Pow, p);

    /// <summary>min(max(x, lo), hi) (torch.clamp).</summary>
    public Tensor Clamp(double min, double max) => UnaryRecorded(UnaryOp.Clamp, OpKind.Clamp, min, max);

    public Tensor Sin() => UnaryRecorded(UnaryOp.Sin, OpKind.Sin);

    public Tensor Cos() => UnaryRecorded(UnaryOp.Cos, OpKind.Cos);

    /// <summary>x + s.</summary>
    public Tensor Add(double s) => UnaryRecorded(UnaryOp.AddScalar, OpKind.AddScalar, s);

    /// <summary>x − s.</summary>
    public Tensor Sub(double s) => UnaryRecorded(UnaryOp.AddScalar, OpKind.AddScalar, -s);

    /// <summary>x · s.</summary>
    public Tensor Mul(double s) => UnaryRecorded(UnaryOp.MulScalar, OpKind.MulScalar, s);

    /// <summary>x / s.</summary>
    public Tensor Div(double s) => UnaryRecorded(UnaryOp.MulScalar, OpKind.MulScalar, 1.0 / s);

    /// <summary>s − x (torch.rsub).</summary>
    public Tensor RSub(double s) => UnaryRecorded(UnaryOp.RSubScalar, OpKind.RSubScalar, s);

    /// <summary>s / x.</summary>
    public Tensor RDiv(double s) => UnaryRecorded(UnaryOp.RDivScalar, OpKind.RDivScalar, s);

    /// <summary>max(x, s) (torch.clamp_min).</summary>
    public Tensor Maximum(double s) => UnaryRecorded(UnaryOp.MaximumScalar, OpKind.MaximumScalar, s);

    /// <summary>min(x, s) (torch.clamp_max).</summary>
    public Tensor Minimum(double s) => UnaryRecorded(UnaryOp.MinimumScalar, OpKind.MinimumScalar, s);

    /// <summary>a + b with broadcasting (torch.add).</summary>
    public Tensor Add(Tensor b) => BinaryRecorded(BinaryOp.Add, OpKind.Add, this, b);

    public Tensor Sub(Tensor b) => BinaryRecorded(BinaryOp.Sub, OpKind.Sub, this, b);

    public Tensor Mul(Tensor b) => BinaryRecorded(BinaryOp.Mul, OpKind.Mul, this, b);

    public Tensor Div(Tensor b) => BinaryRecorded(BinaryOp.Div, OpKind.Div, this, b);

    /// <summary>Elementwise max with broadcasting (torch.maximum).</summary>
    public Tensor Maximum(Tensor b) => BinaryRecorded(BinaryOp.Maximum, OpKind.Maximum, this, b);

    /// <summary>Elementwise min with broadcasting (torch.minimum).</summary>
    public Tensor Minimum(Tensor b) => BinaryRecorded(BinaryOp.Minimum, OpKind.Minimum, this, b);

    /// <summary>aᵇ elementwise (torch.pow(a, b)); a must be positive where b is not an integer.</summary>
    public Tensor Pow(Tensor b) => BinaryRecorded(BinaryOp.Pow, OpKind.BinaryPow, this, b);

    /// <summary>1 where a == b else 0 (no gradient).</summary>
    public Tensor Eq(Tensor b) => BinaryKernel(BinaryOp.Eq, this, b);

    /// <summary>1 where a &gt; b else 0 (no gradient).</summary>
    public Tensor Gt(Tensor b) => BinaryKernel(BinaryOp.Gt, this, b);

    /// <summary>1 where a ≥ b else 0 (no gradient).</summary>
    public Tensor Ge(Tensor b) => BinaryKernel(BinaryOp.Ge, this, b);

    /// <summary>1 where a &lt; b else 0 (no gradient).</summary>
    public Tensor Lt(Tensor b) => BinaryKernel(BinaryOp.Gt, b, this);

    /// <summary>1 where a ≤ b else 0 (no gradient).</summary>
    public Tensor Le(Tensor b) => BinaryKernel(BinaryOp.Ge, b, this);

    /// <summary>sign(x) ∈ {−1, 0, 1} (no gradient).</summary>
    public Tensor Sign() => UnaryPlain(UnaryOp.Sign);

    /// <summary>Fused ReLU backward: gy where x &gt; 0 else 0.</summary>
    public static Tensor ReluBwd(Tensor x, Tensor gy) => BinaryRecorded(BinaryOp.ReluBwd, OpKind.ReluBwd, x, gy);

    /// <summary>Fused leaky-ReLU backward: gy where x &gt; 0 else α·gy.</summary>
    public static Tensor LeakyReluBwd(Tensor x, Tensor gy, double alpha) => BinaryRecorded(BinaryOp.LeakyReluBwd, OpKind.LeakyReluBwd, x, gy, alpha);

    /// <summary>Fused tanh backward from the output y: gy·(1 − y²).</summary>
    public static Tensor TanhBwd(Tensor y, Tensor gy) => BinaryRecorded(BinaryOp.TanhBwd, OpKind.TanhBwd, y, gy);

    /// <summary>Fused sigmoid backward from the output y: gy·y·(1 − y).</summary>
    public static Tensor SigmoidBwd(Tensor y, Tensor gy) => BinaryRecorded(BinaryOp.SigmoidBwd, OpKind.SigmoidBwd, y, gy);

    /// <summary>Fused clamp backward: gy where min ≤ x ≤ max else 0.</summary>
    public static Tensor ClampBwd(Tensor x, Tensor gy, double min, double max) => BinaryRecorded(BinaryOp.ClampBwd, OpKind.ClampBwd, x, gy, min, max);

    /// <summary>Fused abs backward: sign(x)·gy.</summary>
    public static Tensor AbsBwd(Tensor x, Tensor gy) => BinaryRecorded(BinaryOp.AbsBwd, OpKind.AbsBwd, x, gy);

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    public static Tensor operator +(Tensor a, double s) => a.Add(s);

    public static Tensor operator +(double s, Tensor a) => a.Add(s);

    public static Tensor operator -(Tensor a, double s) => a.Sub(s);

    public static Tensor operator -(double s, Tensor a) => a.RSub(s);

    public static Tensor operator *(Tensor a, double s) => a.Mul(s);

    public static Tensor operator *(double s, Tensor a) => a.Mul(s);

    public static Tensor operator /(Tensor a, double s) => a.Div(s);

    public static Tensor operator /(double s, Tensor a) => a.RDiv(s);

    public static Tensor operator -(Tensor a) => a.Neg();
}
