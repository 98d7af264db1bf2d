using GanAudio.Kernels;
using GanAudio.Nn.Init;
using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>y = x·Wᵀ + b (torch.nn.Linear); W [out, in], b [out]; PyTorch's default initialisation.</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        gen ??= RandomStream.Default;
        var dev = device ?? Device.Cpu;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Initializers.KaimingUniformDefault([outFeatures, inFeatures], gen, dtype, dev));
        if (bias) Bias = RegisterParameter("bias", Initializers.Uniform([outFeatures], 1 / Math.Sqrt(inFeatures), gen, dtype, dev));
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    /// <summary>x [..., in] → [..., out].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Shape[^1] != InFeatures) throw TensorShapeException.For("Linear", $"last dimension must be {InFeatures}", x.Shape, Weight.Shape);
        var flat = x.Rank == 2 ? x : x.Reshape(-1, InFeatures);
        var y = flat.MatMul(Weight.T());
        if (Bias is not null) y = y + Bias;
        if (x.Rank != 2)
        {
            var shape = (int[])x.Shape.Clone();
            shape[^1] = OutFeatures;
            y = y.Reshape(shape);
        }
        return y;
    }
}
