using GanAudio.Kernels;
using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>A generator that makes short-time spectra and turns them into audio with a fixed inverse STFT
/// (<c>--generator-output stft</c>): Linear(z → 32d·8) → [32d, 8 frames] → ReLU → (nearest ×2 along frames →
/// Conv1d(k 7) → ReLU) until there is one frame per hop → Conv1d(k 3) to the real and imaginary parts of the
/// nFft/2+1 bins → <see cref="InverseStft"/> (Hann, nFft 512, hop 128) → tanh. It works at the frame rate (128 frames
/// for 16384 samples) instead of the sample rate, and a steady partial is one bin with a turning phase rather than
/// thousands of samples in step — the reason frequency-domain generators learn pitched sound sooner (GANSynth,
/// Engel et al. 2019; Vocos, Siuzdak 2023). Channels halve once the frames reach a quarter of their final count.</summary>
public sealed class StftGenerator : GeneratorModule
{
    public const int FrameFft = 512;
    public const int FrameHop = 128;
    private const int StartFrames = 8;

    private readonly Linear fc;
    private readonly List<Conv1d> convs = new();
    private readonly Conv1d toBins;
    private readonly InverseStft istft;
    private readonly Embedding? embed;
    private readonly int latent, length, classes, startChannels;

    public StftGenerator(int modelSize, int latentDim, int length, int numClasses, int embedDim = 16, RandomStream? gen = null,
                         DType dtype = DType.Float32, Device? device = null)
    {
        var dev = device ?? Device.Cpu;
        (latent, this.length, classes) = (latentDim, length, numClasses);
        int frames = length / FrameHop;
        if (length % FrameHop != 0 || frames < StartFrames || !int.IsPow2(frames / StartFrames) || frames % StartFrames != 0)
            throw new ArgumentException($"the STFT generator needs a length of {FrameHop} × 8 × a power of two samples (e.g. 16384 or 65536), not {length}");
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
        istft = RegisterModule("istft", new InverseStft(FrameFft, FrameHop, (FrameFft - FrameHop) / 2, dtype, dev));
        toBins = RegisterModule("bins", new Conv1d(ch, 2 * istft.Bins, 3, 1, 1, true, gen, dtype, dev));
        if (istft.OutputLength(frames) != length) throw new InvalidOperationException("STFT generator: frame geometry does not give the length");
        WaveGanInit.Apply(this, gen ?? RandomStream.Default);
    }

    public override int LatentDim => latent;

    public override int OutputLength => length;

    public override int NumClasses => classes;

    public override Tensor Generate(Tensor z, int[]? labels)
    {
        z = WithLabels(z, labels, embed);
        var h = fc.Forward(z).Reshape(z.Shape[0], startChannels, StartFrames).Relu();
        foreach (var conv in convs) h = conv.Forward(WaveGanGenerator.NearestUpsample(h, 2)).Relu();
        return istft.Forward(toBins.Forward(h)).Tanh();
    }
}
