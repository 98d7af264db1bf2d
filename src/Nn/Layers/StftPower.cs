using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>Log power spectrogram as a differentiable layer: x [B, 1, L] → log(|STFT(x)|² + ε) [B, nFft/2+1, frames],
/// Hann window, frames centred by zero padding nFft/2 on both sides (torch.stft(center=True, pad_mode='constant')
/// followed by log(power + ε)). The DFT is a stride-<c>hop</c> convolution with fixed cosine and sine rows, so the
/// gradient w.r.t. x (and the second-order terms an R1 or gradient penalty needs) come from the conv rules. The basis
/// is no parameter and is not saved.</summary>
public sealed class StftPower : Module
{
    private readonly Tensor basis;

    public StftPower(int nFft, int hop, double epsilon = 1e-5, DType dtype = DType.Float32, Device? device = null)
    {
        if (nFft < 2 || hop < 1) throw new ArgumentOutOfRangeException(nameof(nFft), "STFT needs nFft >= 2 and hop >= 1");
        (NFft, Hop, Epsilon) = (nFft, hop, epsilon);
        Bins = nFft / 2 + 1;
        var w = new double[2 * Bins * nFft];
        for (int k = 0; k < Bins; k++)
        {
            for (int n = 0; n < nFft; n++)
            {
                double hann = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft);
                double phase = 2 * Math.PI * k * n / nFft;
                w[k * nFft + n] = hann * Math.Cos(phase);
                w[(Bins + k) * nFft + n] = -hann * Math.Sin(phase);
            }
        }
        basis = Tensor.FromArray(w, [2 * Bins, 1, nFft], dtype, device ?? Device.Cpu);
    }

    public int NFft { get; }

    public int Hop { get; }

    public int Bins { get; }

    public double Epsilon { get; }

    /// <summary>Frames for an input of <paramref name="length"/> samples.</summary>
    public int Frames(int length) => (length + 2 * (NFft / 2) - NFft) / Hop + 1;

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 3 || x.Shape[1] != 1) throw TensorShapeException.For("StftPower", "input must be [batch, 1, length]", x.Shape);
        var spec = Tensor.Conv1d(x, basis, null, Hop, NFft / 2);
        var re = spec.Slice(1, 0, Bins);
        var im = spec.Slice(1, Bins, Bins);
        return (re.Square() + im.Square() + Epsilon).Log();
    }

    public override void Dispose()
    {
        basis.Dispose();
        base.Dispose();
    }
}
