using GanAudio.Kernels;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Nn.Layers;

/// <summary>Batch normalisation over [B, C] or [B, C, L] (torch.nn.BatchNorm1d): training mode normalises with the
/// batch's biased variance and updates running statistics with momentum (unbiased variance); eval mode uses them.</summary>
public sealed class BatchNorm1d : Module
{
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, DType dtype = DType.Float32, Device? device = null)
    {
        var dev = device ?? Device.Cpu;
        (NumFeatures, Eps, Momentum) = (numFeatures, eps, momentum);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures], dtype, dev));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype, dev));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype, dev));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype, dev));
    }

    public int NumFeatures { get; }

    public double Eps { get; }

    public double Momentum { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank is not (2 or 3) || x.Shape[1] != NumFeatures)
            throw TensorShapeException.For("BatchNorm1d", $"expects [B, {NumFeatures}] or [B, {NumFeatures}, L]", x.Shape);
        int[] axes = x.Rank == 3 ? [0, 2] : [0];
        int[] bshape = x.Rank == 3 ? [1, NumFeatures, 1] : [1, NumFeatures];
        Tensor y;
        if (Training)
        {
            var mean = x.Mean(axes, keepDim: true);
            var xc = x - mean;
            var variance = xc.Square().Mean(axes, keepDim: true);
            y = xc / (variance + Eps).Sqrt();
            using (GradMode.NoGrad())
            {
                long n = x.Numel / NumFeatures;
                double unbias = n > 1 ? n / (double)(n - 1) : 1.0;
                using var m = mean.Reshape(NumFeatures);
                using var v = variance.Reshape(NumFeatures);
                RunningMean.MulInPlace(1 - Momentum).AddInPlace(m, Momentum);
                RunningVar.MulInPlace(1 - Momentum).AddInPlace(v, Momentum * unbias);
            }
        }
        else
        {
            y = (x - RunningMean.Reshape(bshape)) / (RunningVar.Reshape(bshape) + Eps).Sqrt();
        }
        if (Weight is not null && Bias is not null) y = y * Weight.Reshape(bshape) + Bias.Reshape(bshape);
        return y;
    }
}
