using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>Inverse STFT as a differentiable layer: frames [B, 2·(nFft/2+1), F] (real parts of the bins 0 … nFft/2,
/// then the imaginary parts) → audio [B, 1, (F − 1)·hop + nFft − 2·padding]. Each frame is the inverse real DFT of
/// its bins times a Hann window, overlap-added at <c>hop</c> and divided by the squared windows' overlap sum of the
/// interior (torch.istft with a Hann window, where the frames overlap fully). The first and last nFft − hop − padding
/// samples overlap fewer frames and come out quieter. No parameters; the fixed matrices are not saved.
/// <para>Two ways to the same numbers. <b>Dense</b>: a stride-<c>hop</c> transposed convolution with fixed cosine and
/// sine rows, nFft·(nFft + 2) multiply-adds per frame. <b>Factorized</b> (when nFft is a power of two of at least 16
/// and hop divides it; the default there): one Cooley–Tukey step, nFft = N1·N2 with k = N2·k1 + k2 and n = n1 + N1·n2,
/// as two batched matrix products — N1-point transforms over k1 for each k2 with the twiddle e^{2πi·k2·n1/nFft} and the
/// one-sided weights (1 for DC and Nyquist, 2 between) folded in, then N2-point transforms over k2 for each n1 that keep
/// the real part with the window and the scale folded in — 2·nFft·(N1 + N2) multiply-adds per frame (8 × fewer at
/// nFft 1024), then an overlap-add of nFft/hop shifted copies. Both are built from differentiable ops, so gradients
/// (and second derivatives) follow from theirs and run on every backend.</para></summary>
public sealed class InverseStft : Module
{
    private readonly Tensor? basis;
    // factorized form only: [N2, 2·K1, 2·N1] (per k2: (re, im) × k1 ≤ N1/2 → (re, im) × n1) and [N1, 2·N2, N2]
    private readonly Tensor? stage1, stage2;
    private readonly int n1, n2, k1s;

    /// <param name="factorized">null: the factorized form where it applies, else dense; true demands it (throws where
    /// it does not apply); false: dense.</param>
    public InverseStft(int nFft, int hop, int padding, DType dtype = DType.Float32, Device? device = null, bool? factorized = null)
    {
        if (nFft < 2 || hop < 1 || hop > nFft || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(nFft), "inverse STFT needs nFft >= 2, 1 <= hop <= nFft and padding >= 0");
        (NFft, Hop, Padding) = (nFft, hop, padding);
        Bins = nFft / 2 + 1;
        var dev = device ?? Device.Cpu;
        var window = new double[nFft];
        for (int n = 0; n < nFft; n++) window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft);
        // the squared windows summed over the frames that cover one interior sample (1.5 for hop = nFft/4)
        double overlap = 0;
        for (int n = 0; n < nFft; n += hop) overlap += window[n] * window[n];
        double scale = 1.0 / (nFft * overlap);
        bool canFactor = int.IsPow2(nFft) && nFft >= 16 && nFft % hop == 0;
        if (factorized == true && !canFactor)
            throw new ArgumentException($"the factorized inverse STFT needs a power-of-two nFft of at least 16 that hop divides, not nFft {nFft}, hop {hop}");
        Factorized = factorized ?? canFactor;
        if (Factorized)
        {
            n1 = 1 << (int.Log2(nFft) / 2);
            n2 = nFft / n1;
            k1s = n1 / 2 + 1;
            stage1 = Tensor.FromArray(Stage1(nFft, n1, n2, k1s), [n2, 2 * k1s, 2 * n1], dtype, dev);
            stage2 = Tensor.FromArray(Stage2(n1, n2, window, scale), [n1, 2 * n2, n2], dtype, dev);
            return;
        }
        var w = new double[2 * Bins * nFft];
        for (int k = 0; k < Bins; k++)
        {
            // bins 1 … nFft/2−1 stand for their conjugate twins too
            double weight = OneSided(k, nFft) * scale;
            for (int n = 0; n < nFft; n++)
            {
                double phase = 2 * Math.PI * k * n / nFft;
                w[k * nFft + n] = weight * window[n] * Math.Cos(phase);
                w[(Bins + k) * nFft + n] = -weight * window[n] * Math.Sin(phase);
            }
        }
        basis = Tensor.FromArray(w, [2 * Bins, 1, nFft], dtype, dev);
    }

    public int NFft { get; }

    public int Hop { get; }

    public int Padding { get; }

    public int Bins { get; }

    /// <summary>True when the layer uses the factorized (two-stage) transform rather than the dense basis.</summary>
    public bool Factorized { get; }

    /// <summary>Samples out for <paramref name="frames"/> frames in.</summary>
    public int OutputLength(int frames) => (frames - 1) * Hop + NFft - 2 * Padding;

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 3 || x.Shape[1] != 2 * Bins) throw TensorShapeException.For("InverseStft", $"input must be [batch, {2 * Bins}, frames]", x.Shape);
        return Factorized ? FactorizedForward(x) : Tensor.ConvTranspose1d(x, basis!, null, Hop, Padding);
    }

    private Tensor FactorizedForward(Tensor x)
    {
        int b = x.Shape[0], f = x.Shape[2], rows = b * f;
        // bins k = N2·k1 + k2 with k1 ≤ N1/2: zeros above nFft/2, then [N2, rows, (re, im) × k1]
        var z = x.Reshape(b, 2, Bins, f).Pad(2, 0, k1s * n2 - Bins).Reshape(b, 2, k1s, n2, f)
                 .Permute(3, 0, 4, 1, 2).Reshape(n2, rows, 2 * k1s);
        // [N2, rows, (re, im) × n1] → [N1, rows, (re, im) × k2]
        var y = z.MatMul(stage1!).Reshape(n2, rows, 2, n1).Permute(3, 1, 2, 0).Reshape(n1, rows, 2 * n2);
        // windowed real samples at n = n1 + N1·n2 → frames [B, F, nFft]
        var frames = y.MatMul(stage2!).Permute(1, 2, 0).Reshape(b, f, NFft);
        return OverlapAdd(frames, b, f);
    }

    /// <summary>Frames [B, F, nFft] overlap-added at the hop: sample t·hop + j of the output sums the frames t − q at
    /// offset q·hop + j, one padded copy of each of the nFft/hop offsets.</summary>
    private Tensor OverlapAdd(Tensor frames, int b, int f)
    {
        int r = NFft / Hop;
        var parts = frames.Reshape(b, f, r, Hop);
        Tensor? sum = null;
        for (int q = 0; q < r; q++)
        {
            var shifted = parts.Slice(2, q, 1).Pad(1, q, r - 1 - q);
            sum = sum is null ? shifted : sum + shifted;
        }
        int full = (f + r - 1) * Hop;
        var audio = sum!.Reshape(b, 1, full);
        return Padding == 0 ? audio : audio.Slice(2, Padding, full - 2 * Padding).Contiguous();
    }

    private static double OneSided(int k, int nFft) => k == 0 || 2 * k == nFft ? 1.0 : 2.0;

    /// <summary>Per k2: (re, im) of Z[k1] → (re, im) of Y[n1] = Σ_k1 c_k·Z·e^{2πi(k1·n1/N1 + k2·n1/nFft)}, k = N2·k1 + k2,
    /// c_k the one-sided weight, 0 above nFft/2.</summary>
    private static double[] Stage1(int nFft, int n1, int n2, int k1s)
    {
        var a = new double[n2 * 2 * k1s * 2 * n1];
        for (int k2 = 0; k2 < n2; k2++)
            for (int k1 = 0; k1 < k1s; k1++)
            {
                int k = n2 * k1 + k2;
                if (2 * k > nFft) continue;
                double c = OneSided(k, nFft);
                for (int m = 0; m < n1; m++)
                {
                    // k1·m/N1 + k2·m/nFft in turns, reduced exactly in integers: (k1·N2 + k2)·m / nFft = k·m / nFft
                    double theta = 2 * Math.PI * ((long)k * m % nFft) / nFft;
                    double cos = c * Math.Cos(theta), sin = c * Math.Sin(theta);
                    long re = ((long)k2 * 2 * k1s + k1) * 2 * n1, im = ((long)k2 * 2 * k1s + k1s + k1) * 2 * n1;
                    a[re + m] = cos;        // Re Z → Re Y
                    a[re + n1 + m] = sin;   // Re Z → Im Y
                    a[im + m] = -sin;       // Im Z → Re Y
                    a[im + n1 + m] = cos;   // Im Z → Im Y
                }
            }
        return a;
    }

    /// <summary>Per n1: (re, im) of Y[k2] → w[n]·s·Re Σ_k2 Y·e^{2πi·k2·n2/N2} at n = n1 + N1·n2.</summary>
    private static double[] Stage2(int n1, int n2, double[] window, double scale)
    {
        var m = new double[n1 * 2 * n2 * n2];
        for (int a = 0; a < n1; a++)
            for (int k2 = 0; k2 < n2; k2++)
                for (int t = 0; t < n2; t++)
                {
                    double phi = 2 * Math.PI * ((long)k2 * t % n2) / n2, w = window[a + n1 * t] * scale;
                    m[((long)a * 2 * n2 + k2) * n2 + t] = w * Math.Cos(phi);
                    m[((long)a * 2 * n2 + n2 + k2) * n2 + t] = -w * Math.Sin(phi);
                }
        return m;
    }

    public override void Dispose()
    {
        basis?.Dispose();
        stage1?.Dispose();
        stage2?.Dispose();
        base.Dispose();
    }
}
