using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>A lookup table of vectors (torch.nn.Embedding), weight [num, dim] ~ N(0, 1). Rows are gathered through a
/// one-hot matrix product, so the gradient reaches the weight by the ordinary MatMul rule.</summary>
public sealed class Embedding : Module
{
    public Embedding(int numEmbeddings, int dim, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        (NumEmbeddings, Dim) = (numEmbeddings, dim);
        Weight = RegisterParameter("weight", Tensor.Randn([numEmbeddings, dim], gen, 0, 1, dtype, device ?? Device.Cpu));
    }

    public int NumEmbeddings { get; }

    public int Dim { get; }

    public Tensor Weight { get; }

    /// <summary>indices [B] (values are class numbers) → [B, dim].</summary>
    public Tensor Forward(int[] indices)
    {
        var onehot = new double[indices.Length * NumEmbeddings];
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)NumEmbeddings) throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"index outside [0, {NumEmbeddings})");
            onehot[i * NumEmbeddings + indices[i]] = 1;
        }
        var oh = Tensor.FromArray(onehot, [indices.Length, NumEmbeddings], Weight.DType, Weight.Device);
        return oh.MatMul(Weight);
    }

    /// <summary>indices as a 1-D tensor of whole numbers.</summary>
    public override Tensor Forward(Tensor x) => Forward(x.ToDoubleArray().Select(v => (int)v).ToArray());
}
