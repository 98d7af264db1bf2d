using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

/// <summary>Fused ops: one kernel where the composite needs several (each with its own op kind and backward rule, written
/// with tensor ops so that second-order gradients work).</summary>
public sealed partial class Tensor
{
    /// <summary>leaky_relu(x + bias, α) with bias [C] broadcast over axis 1 of x [B, C, …] (torch:
    /// <c>F.leaky_relu(x + bias[:, None], α)</c>, the bias add of a conv or linear layer fused with its activation).
    /// α must be ≥ 0 (the backward reads the sign of the output). Its gradient: g' = g where y &gt; 0 else α·g for x,
    /// and g' summed over every axis but 1 for the bias.</summary>
    public static Tensor BiasLeakyRelu(Tensor x, Tensor bias, double alpha)
    {
        CheckSame("BiasLeakyRelu", x, bias);
        if (x.Rank < 2 || bias.Rank != 1 || bias.Shape[0] != x.Shape[1])
            throw TensorShapeException.For("BiasLeakyRelu", "x must be [B, C, …] and bias [C]", x.Shape, bias.Shape);
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(alpha), $"BiasLeakyRelu: α = {alpha} must be ≥ 0");
        int outer = x.Shape[0], channels = x.Shape[1];
        int inner = channels == 0 || outer == 0 ? 0 : x.Numel / (outer * channels);
        var y = Empty(x.Shape, x.DType, x.Device);
        using (var d = new DenseSet(x, bias))
            if (y.Numel > 0) x.Backend.BiasLeakyRelu(d[0].Buffer, d[1].Buffer, y.Buffer, outer, channels, inner, alpha);
        return Recorder.Record(y, OpKind.BiasLeakyRelu, new ScalarAttrs(alpha, 0), x, bias);
    }

    /// <summary>The L2 norm of each example: y[b] = √(Σ x[b, …]² + ε) over every axis but the first, x [B, …] → [B]
    /// (torch: <c>(x.flatten(1).square().sum(1) + ε).sqrt()</c>, the gradient penalty's ‖∇ₓD‖). The same values as
    /// <c>(x.SumSquares(axes 1…) + ε).Sqrt()</c>, in one kernel. Gradient: x · (g / y) per example.</summary>
    public Tensor PerExampleNorm(double eps = 0)
    {
        if (Rank < 1) throw TensorShapeException.For("PerExampleNorm", "needs at least one axis (the examples)", Shape, Shape);
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"PerExampleNorm: ε = {eps} must be ≥ 0");
        int rows = Shape[0];
        int n = rows == 0 ? 0 : Numel / rows;
        var y = Empty([rows], DType, Device);
        var x = Dense(out bool tmp);
        if (rows > 0) Backend.PerExampleNorm(x.Buffer, y.Buffer, rows, n, eps);
        if (tmp) x.Dispose();
        return Recorder.Record(y, OpKind.PerExampleNorm, new ScalarAttrs(eps, 0), this);
    }
}
