using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>Inverse STFT as a differentiable layer: frames [B, 2·(nFft/2+1), F] (real parts of the bins 0 … nFft/2,
/// then the imaginary parts) → audio [B, 1, (F − 1)·hop + nFft − 2·padding]. Each frame is the inverse real DFT of
/// its bins times a Hann window, overlap-added at <c>hop</c> and divided by the squared windows' overlap sum of the
/// interior (torch.istft with a Hann window, where the frames overlap fully). It is a stride-<c>hop</c> transposed
/// convolution with fixed cosine and sine rows, so gradients come from the conv rules; the basis is no parameter and
/// is not saved. The first and last nFft − hop − padding samples overlap fewer frames and come out quieter.</summary>
public sealed class InverseStft : Module
{
    private readonly Tensor basis;

    public InverseStft(int nFft, int hop, int padding, DType dtype = DType.Float32, Device? device = null)
    {
        if (nFft < 2 || hop < 1 || hop > nFft || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(nFft), "inverse STFT needs nFft >= 2, 1 <= hop <= nFft and padding >= 0");
        (NFft, Hop, Padding) = (nFft, hop, padding);
        Bins = nFft / 2 + 1;
        var window = new double[nFft];
        for (int n = 0; n < nFft; n++) window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft);
        // the squared windows summed over the frames that cover one interior sample (1.5 for hop = nFft/4)
        double overlap = 0;
        for (int n = 0; n < nFft; n += hop) overlap += window[n] * window[n];
        var w = new double[2 * Bins * nFft];
        for (int k = 0; k < Bins; k++)
        {
            // bins 1 … nFft/2−1 stand for their conjugate twins too
            double weight = (k == 0 || 2 * k == nFft ? 1.0 : 2.0) / (nFft * overlap);
            for (int n = 0; n < nFft; n++)
            {
                double phase = 2 * Math.PI * k * n / nFft;
                w[k * nFft + n] = weight * window[n] * Math.Cos(phase);
                w[(Bins + k) * nFft + n] = -weight * window[n] * Math.Sin(phase);
            }
        }
        basis = Tensor.FromArray(w, [2 * Bins, 1, nFft], dtype, device ?? Device.Cpu);
    }

    public int NFft { get; }

    public int Hop { get; }

    public int Padding { get; }

    public int Bins { get; }

    /// <summary>Samples out for <paramref name="frames"/> frames in.</summary>
    public int OutputLength(int frames) => (frames - 1) * Hop + NFft - 2 * Padding;

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 3 || x.Shape[1] != 2 * Bins) throw TensorShapeException.For("InverseStft", $"input must be [batch, {2 * Bins}, frames]", x.Shape);
        return Tensor.ConvTranspose1d(x, basis, null, Hop, Padding);
    }

    public override void Dispose()
    {
        basis.Dispose();
        base.Dispose();
    }
}
