using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Init;

/// <summary>Weight initialisers (torch.nn.init). All draw from a <see cref="RandomStream"/> so models are reproducible.</summary>
public static class Initializers
{
    /// <summary>fan_in and fan_out as PyTorch computes them: dim 1 × receptive field, dim 0 × receptive field.</summary>
    public static (int FanIn, int FanOut) Fans(int[] shape)
    {
        if (shape.Length < 2) throw new ArgumentException("fan in/out needs at least 2 dimensions");
        int rf = 1;
        for (int i = 2; i < shape.Length; i++) rf *= shape[i];
        return (shape[1] * rf, shape[0] * rf);
    }

    public static Tensor Uniform(int[] shape, double bound, RandomStream gen, DType dtype, Device device) =>
        Tensor.Rand(shape, gen, -bound, bound, dtype, device);

    /// <summary>PyTorch's default for Linear/Conv weights: kaiming_uniform_(a = √5), i.e. U(±1/√fan_in).</summary>
    public static Tensor KaimingUniformDefault(int[] shape, RandomStream gen, DType dtype, Device device) =>
        KaimingUniform(shape, Math.Sqrt(5), gen, dtype, device);

    /// <summary>kaiming_uniform_ with leaky-ReLU gain √(2/(1+a²)): bound = gain·√(3/fan_in).</summary>
    public static Tensor KaimingUniform(int[] shape, double a, RandomStream gen, DType dtype, Device device)
    {
        var (fanIn, _) = Fans(shape);
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        return Uniform(shape, gain * Math.Sqrt(3.0 / fanIn), gen, dtype, device);
    }

    /// <summary>kaiming_normal_: std = gain/√fan_in.</summary>
    public static Tensor KaimingNormal(int[] shape, double a, RandomStream gen, DType dtype, Device device)
    {
        var (fanIn, _) = Fans(shape);
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        return Tensor.Randn(shape, gen, 0, gain / Math.Sqrt(fanIn), dtype, device);
    }

    /// <summary>xavier_uniform_: bound = gain·√(6/(fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(int[] shape, double gain, RandomStream gen, DType dtype, Device device)
    {
        var (fi, fo) = Fans(shape);
        return Uniform(shape, gain * Math.Sqrt(6.0 / (fi + fo)), gen, dtype, device);
    }

    /// <summary>xavier_normal_: std = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(int[] shape, double gain, RandomStream gen, DType dtype, Device device)
    {
        var (fi, fo) = Fans(shape);
        return Tensor.Randn(shape, gen, 0, gain * Math.Sqrt(2.0 / (fi + fo)), dtype, device);
    }

    public static Tensor Normal(int[] shape, double mean, double std, RandomStream gen, DType dtype, Device device) =>
        Tensor.Randn(shape, gen, mean, std, dtype, device);
}
