using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>Zeroes each element with probability p during training and scales the rest by 1/(1 − p) (torch.nn.Dropout).</summary>
public sealed class Dropout(double p = 0.5, RandomStream? gen = null) : Module
{
    private readonly RandomStream? generator = gen;

    public double P { get; } = p is >= 0 and < 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");

    public override Tensor Forward(Tensor x)
    {
        if (!Training || P == 0) return x;
        using var u = Tensor.Rand(x.Shape, generator, 0, 1, x.DType, x.Device);
        using var threshold = Tensor.Full([], P, x.DType, x.Device);
        var keep = u.Ge(threshold); // saved by the Mul for backward: owned by the scope, not disposed here
        return x * keep * (1.0 / (1 - P));
    }
}
