using GanAudio.Kernels;
using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>A generator that makes short-time spectra and turns them into audio with a fixed inverse STFT
/// (<c>--generator-output stft</c>): Linear(z → 32d·8) → [32d, 8 frames] → ReLU → (nearest ×2 along frames →
/// Conv1d(k 7) → ReLU) until there is one frame per hop → Conv1d(k 3) to the real and imaginary parts of the
/// nFft/2+1 bins → <see cref="InverseStft"/> (Hann, nFft 512 by default, hop nFft/4) → tanh. It works at the frame rate (128 frames
/// for 16384 samples) instead of the sample rate, and a steady partial is one bin with a turning phase rather than
/// thousands of samples in step — the reason frequency-domain generators learn pitched sound sooner (GANSynth,
/// Engel et al. 2019; Vocos, Siuzdak 2023). Channels halve once the frames reach a quarter of their final count.
/// <para>With <c>instantaneousFrequency</c> (<c>--generator-output stft-if</c>, GANSynth's representation) the two
/// halves of the last conv are a log-magnitude and an instantaneous frequency per bin and frame instead of the real
/// and imaginary parts: |X| = exp(−2.5 + 7.5·tanh a) (from about −87 to +43 dB), the phase advance over one hop
/// Δφ = 2π·k·hop/nFft + π·tanh u (the bin's centre frequency plus at most half a turn either way), and the phase is
/// the running sum of Δφ over the frames (a matmul with a fixed triangular matrix), X = |X|·(cos φ + i sin φ). A
/// steady partial is then a constant magnitude and a constant u in the bins around it, so its phase is coherent from
/// frame to frame by construction, which the real/imaginary output has to learn.</para></summary>
public sealed class StftGenerator : GeneratorModule
{
    /// <summary>The default FFT size (<c>--generator-fft</c>); the hop is always a quarter of it.</summary>
    public const int DefaultFft = 512;
    private const int StartFrames = 8;

    private readonly Linear fc;
    private readonly List<Conv1d> convs = new();
    private readonly Conv1d toBins;
    private readonly InverseStft istft;
    private readonly Embedding? embed;
    private readonly int latent, length, classes, startChannels, frames, nFft, hop;
    // instantaneous-frequency output only: the running-sum matrix [frames, frames] (1 where row ≤ column) and each
    // bin's centre-frequency phase after frame t, 2π·k·hop/nFft·(t+1) mod 2π, [bins, frames]; fixed, not parameters
    private readonly Tensor? runningSum, centrePhase;

    public const double LogMagnitudeCentre = -2.5, LogMagnitudeRange = 7.5;

    public StftGenerator(int modelSize, int latentDim, int length, int numClasses, int embedDim = 16, RandomStream? gen = null,
                         DType dtype = DType.Float32, Device? device = null, bool instantaneousFrequency = false, int fft = DefaultFft)
    {
        var dev = device ?? Device.Cpu;
        if (fft < 16 || !int.IsPow2(fft)) throw new ArgumentException($"the STFT generator's FFT size must be a power of two of at least 16, not {fft}");
        (latent, this.length, classes, nFft, hop) = (latentDim, length, numClasses, fft, fft / 4);
        frames = length / hop;
        if (length % hop != 0 || frames < StartFrames || !int.IsPow2(frames / StartFrames) || frames % StartFrames != 0)
            throw new ArgumentException($"the STFT generator with FFT {fft} needs a length of {hop} × 8 × a power of two samples (e.g. 16384 or 65536), not {length}");
        int ups = int.Log2(frames / StartFrames);
        startChannels = 32 * modelSize;
        int zIn = latentDim + (numClasses > 0 ? embedDim : 0);
        if (numClasses > 0) embed = RegisterModule("embed", new Embedding(numClasses, embedDim, gen, dtype, dev));
        fc = RegisterModule("fc", new Linear(zIn, StartFrames * startChannels, true, gen, dtype, dev));
        int ch = startChannels, f = StartFrames;
        for (int i = 0; i < ups; i++)
        {
            f *= 2;
            int next = f * 4 >= frames ? Math.Max(startChannels / 2, 1) : ch;
            convs.Add(RegisterModule($"conv{i + 1}", new Conv1d(ch, next, 7, 1, 3, true, gen, dtype, dev)));
            ch = next;
        }
        istft = RegisterModule("istft", new InverseStft(nFft, hop, (nFft - hop) / 2, dtype, dev));
        toBins = RegisterModule("bins", new Conv1d(ch, 2 * istft.Bins, 3, 1, 1, true, gen, dtype, dev));
        if (istft.OutputLength(frames) != length) throw new InvalidOperationException("STFT generator: frame geometry does not give the length");
        WaveGanInit.Apply(this, gen ?? RandomStream.Default);
        if (instantaneousFrequency)
        {
            var tri = new double[frames * frames];
            for (int r = 0; r < frames; r++)
                for (int c = r; c < frames; c++) tri[r * frames + c] = 1;
            runningSum = Tensor.FromArray(tri, [frames, frames], dtype, dev);
            var centre = new double[istft.Bins * frames];
            for (int k = 0; k < istft.Bins; k++)
                for (int t = 0; t < frames; t++)
                {
                    // k·hop·(t+1) mod nFft in integers, so the constant is exact however many frames
                    long turns = (long)k * hop * (t + 1) % nFft;
                    centre[k * frames + t] = 2 * Math.PI * turns / nFft;
                }
            centrePhase = Tensor.FromArray(centre, [istft.Bins, frames], dtype, dev);
        }
    }

    /// <summary>True when the last conv gives log-magnitude and instantaneous frequency (<c>stft-if</c>).</summary>
    public bool InstantaneousFrequency => runningSum is not null;

    /// <summary>The inverse STFT's size; the hop is a quarter of it.</summary>
    public int Fft => nFft;

    public int Hop => hop;

    /// <summary>Frequency bins per frame, nFft/2 + 1.</summary>
    public int Bins => istft.Bins;

    public int Frames => frames;

    public override int LatentDim => latent;

    public override int OutputLength => length;

    public override int NumClasses => classes;

    public override Tensor Generate(Tensor z, int[]? labels)
    {
        z = WithLabels(z, labels, embed);
        var h = fc.Forward(z).Reshape(z.Shape[0], startChannels, StartFrames).Relu();
        foreach (var conv in convs) h = conv.Forward(WaveGanGenerator.NearestUpsample(h, 2)).Relu();
        var bins = toBins.Forward(h);
        if (runningSum is not null) bins = FromMagnitudeAndFrequency(bins);
        return istft.Forward(bins).Tanh();
    }

    /// <summary>[B, 2·bins, F] of (log-magnitude, instantaneous-frequency) pre-activations → [B, 2·bins, F] of (real,
    /// imaginary), the input of the inverse STFT (<c>stft-if</c> only).</summary>
    public Tensor FromMagnitudeAndFrequency(Tensor x)
    {
        if (runningSum is null) throw new InvalidOperationException("this STFT generator outputs real and imaginary parts, not magnitude and frequency");
        if (x.Rank != 3 || x.Shape[1] != 2 * istft.Bins || x.Shape[2] != frames)
            throw TensorShapeException.For("StftGenerator", $"input must be [batch, {2 * istft.Bins}, {frames}]", x.Shape);
        int b = x.Shape[0], nb = istft.Bins;
        var magnitude = (x.Slice(1, 0, nb).Tanh() * LogMagnitudeRange + LogMagnitudeCentre).Exp();
        var advance = x.Slice(1, nb, nb).Tanh() * Math.PI;
        var phase = advance.Reshape(b * nb, frames).MatMul(runningSum!).Reshape(b, nb, frames) + centrePhase!;
        return Tensor.Cat([magnitude * phase.Cos(), magnitude * phase.Sin()], 1);
    }

    public override void Dispose()
    {
        runningSum?.Dispose();
        centrePhase?.Dispose();
        base.Dispose();
    }
}
