using GanAudio.Kernels;
using GanAudio.Nn.Init;
using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>1-D convolution layer (torch.nn.Conv1d, dilation 1, groups 1): weight [out, in, K], bias [out].</summary>
public sealed class Conv1d : Module
{
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true,
        RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        gen ??= RandomStream.Default;
        var dev = device ?? Device.Cpu;
        (InChannels, OutChannels, KernelSize, Stride, Padding) = (inChannels, outChannels, kernelSize, stride, padding);
        Weight = RegisterParameter("weight", Initializers.KaimingUniformDefault([outChannels, inChannels, kernelSize], gen, dtype, dev));
        if (bias) Bias = RegisterParameter("bias", Initializers.Uniform([outChannels], 1 / Math.Sqrt(inChannels * kernelSize), gen, dtype, dev));
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    /// <summary>x [B, in, L] → [B, out, (L + 2p − K)/s + 1].</summary>
    public override Tensor Forward(Tensor x) => Tensor.Conv1d(x, Weight, Bias, Stride, Padding);

    /// <summary>leaky_relu(conv1d(x) + bias, α) (torch: <c>F.leaky_relu(conv(x), α)</c>) with the bias add done by the
    /// activation's kernel (<see cref="Tensor.BiasLeakyRelu"/>) instead of the convolution; the same values to float
    /// rounding. α ≥ 0.</summary>
    public Tensor ForwardLeakyRelu(Tensor x, double alpha) =>
        Bias is null ? Forward(x).LeakyRelu(alpha) : Tensor.BiasLeakyRelu(Tensor.Conv1d(x, Weight, null, Stride, Padding), Bias, alpha);
}

/// <summary>Transposed 1-D convolution layer (torch.nn.ConvTranspose1d): weight [in, out, K], bias [out].</summary>
public sealed class ConvTranspose1d : Module
{
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        bool bias = true, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        gen ??= RandomStream.Default;
        var dev = device ?? Device.Cpu;
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding) = (inChannels, outChannels, kernelSize, stride, padding, outputPadding);
        // PyTorch computes fan_in of a transposed conv weight [in, out, K] from dim 1: out·K.
        Weight = RegisterParameter("weight", Initializers.KaimingUniformDefault([inChannels, outChannels, kernelSize], gen, dtype, dev));
        if (bias) Bias = RegisterParameter("bias", Initializers.Uniform([outChannels], 1 / Math.Sqrt(outChannels * kernelSize), gen, dtype, dev));
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int OutputPadding { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    /// <summary>x [B, in, L] → [B, out, (L − 1)·s − 2p + K + outputPadding].</summary>
    public override Tensor Forward(Tensor x) => Tensor.ConvTranspose1d(x, Weight, Bias, Stride, Padding, OutputPadding);
}
