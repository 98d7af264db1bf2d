using GanAudio.Kernels;
using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>A spectrogram discriminator: log power STFT (<see cref="StftPower"/>) with the frequency bins as channels,
/// then 1-D convolutions over time (kernel 3; strides 1, 2, 2, LeakyReLU 0.2), the mean over time, and a linear score.
/// Conditional models add the projection term on the pooled features. It judges the spectral envelope and its
/// evolution, which a waveform critic learns only slowly; one per resolution in a multi-resolution set. The STFT is the
/// factorized one from FFT 1024 up (<see cref="StftPower.FactorizedFrom"/>; the constructor's <c>factorizedStft: false</c> forces the
/// dense convolution, for the bench).</summary>
public sealed class StftDiscriminator : DiscriminatorModule
{
    private readonly StftPower stft;
    private readonly List<Conv1d> convs = new();
    private readonly Linear fc;
    private readonly Embedding? project;
    private readonly int classes;

    public StftDiscriminator(int nFft, int channels, int numClasses, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null, bool? factorizedStft = null)
    {
        var dev = device ?? Device.Cpu;
        classes = numClasses;
        stft = RegisterModule("stft", new StftPower(nFft, nFft / 4, 1e-5, dtype, dev, factorizedStft));
        int ch = stft.Bins;
        int[] strides = [1, 2, 2];
        for (int i = 0; i < strides.Length; i++)
        {
            convs.Add(RegisterModule($"conv{i + 1}", new Conv1d(ch, channels, 3, strides[i], 1, true, gen, dtype, dev)));
            ch = channels;
        }
        FeatureDim = ch;
        fc = RegisterModule("fc", new Linear(ch, 1, true, gen, dtype, dev));
        if (numClasses > 0) project = RegisterModule("project", new Embedding(numClasses, ch, gen, dtype, dev));
        WaveGanInit.Apply(this, gen ?? RandomStream.Default);
    }

    public int NFft => stft.NFft;

    public int FeatureDim { get; }

    public override int NumClasses => classes;

    public override Tensor Score(Tensor x, int[]? labels)
    {
        // log power spans about −11 (silence) to +10 (a full-scale tone); scale it to unit order for the first conv
        var h = (stft.Forward(x) * 0.2).Sub(0.5);
        foreach (var conv in convs) h = conv.Forward(h).LeakyRelu(0.2);
        var feat = h.Mean(2);
        return WithProjection(fc.Forward(feat), feat, labels, project);
    }
}
