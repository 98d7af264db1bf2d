using GanAudio.Kernels;
using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>WaveGAN options (Donahue et al. 2019, the original code's defaults): model size d = 64, latent 100,
/// kernel 25, stride 4, phase shuffle n = 2, no batch norm.</summary>
public sealed record WaveGanOptions
{
    public int ModelSize { get; init; } = 64;
    public int LatentDim { get; init; } = 100;
    /// <summary>16384 (about 1 s at 16 kHz) or 65536 (about 4 s).</summary>
    public int Length { get; init; } = 16384;
    public int KernelSize { get; init; } = 25;
    public int PhaseShuffle { get; init; } = 2;
    public bool PhaseShufflePerExample { get; init; }
    public bool BatchNorm { get; init; }
    /// <summary>Nearest-neighbour upsampling ×4 followed by a stride-1 convolution instead of transposed convolution.</summary>
    public bool Upsample { get; init; }
    /// <summary>Length of the learned post-processing filter (WaveGAN uses 512); 0 = none.</summary>
    public int PostFilterLength { get; init; }
    /// <summary>Classes for genre-conditional models (0 = unconditional).</summary>
    public int NumClasses { get; init; }
    /// <summary>Initialise as the original TensorFlow code does (Glorot-uniform weights, zero biases) instead of PyTorch's
    /// defaults; see <see cref="WaveGanInit"/>.</summary>
    public bool TensorFlowInit { get; init; } = true;
    /// <summary>Size of the label embedding concatenated to z in a conditional generator.</summary>
    public int EmbedDim { get; init; } = 16;

    /// <summary>Number of stride-4 layers: 5 for 16384 samples, 6 for 65536.</summary>
    public int Layers => Length switch
    {
        16384 => 5,
        65536 => 6,
        _ => throw new ArgumentException($"WaveGAN length must be 16384 or 65536, not {Length}"),
    };

    /// <summary>Channel multiplier at the narrow end: 16 for 16384 samples, 32 for 65536.</summary>
    public int Top => Layers == 5 ? 16 : 32;
}

/// <summary>WaveGAN's generator: Linear(z → 16·top·d) → [top·d, 16] → ReLU → (ConvTranspose1d(k25, s4, p11, op1) → ReLU)×
/// halving channels → … → d → 1 → tanh.</summary>
public sealed class WaveGanGenerator : GeneratorModule
{
    private readonly WaveGanOptions o;
    private readonly Linear fc;
    private readonly List<Module> ups = new();
    private readonly List<BatchNorm1d?> norms = new();
    private readonly Embedding? embed;
    private readonly Conv1d? post;
    private readonly BatchNorm1d? bn0;

    public WaveGanGenerator(WaveGanOptions options, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        o = options;
        var dev = device ?? Device.Cpu;
        int d = o.ModelSize, top = o.Top;
        int zIn = o.LatentDim + (o.NumClasses > 0 ? o.EmbedDim : 0);
        if (o.NumClasses > 0) embed = RegisterModule("embed", new Embedding(o.NumClasses, o.EmbedDim, gen, dtype, dev));
        fc = RegisterModule("fc", new Linear(zIn, 16 * top * d, true, gen, dtype, dev));
        if (o.BatchNorm) bn0 = RegisterModule("bn0", new BatchNorm1d(top * d, dtype: dtype, device: dev));
        int ch = top * d;
        for (int i = 0; i < o.Layers; i++)
        {
            int next = i == o.Layers - 1 ? 1 : ch / 2;
            Module up = o.Upsample
                ? new Conv1d(ch, next, o.KernelSize, 1, o.KernelSize / 2, true, gen, dtype, dev)
                : new ConvTranspose1d(ch, next, o.KernelSize, 4, (o.KernelSize - 3) / 2, 1, true, gen, dtype, dev);
            ups.Add(RegisterModule($"deconv{i + 1}", up));
            norms.Add(o.BatchNorm && i < o.Layers - 1 ? RegisterModule($"bn{i + 1}", new BatchNorm1d(next, dtype: dtype, device: dev)) : null);
            ch = next;
        }
        if (o.PostFilterLength > 0) post = RegisterModule("postproc", new Conv1d(1, 1, o.PostFilterLength, 1, 0, false, gen, dtype, dev));
        if (o.TensorFlowInit) WaveGanInit.Apply(this, gen ?? RandomStream.Default);
    }

    public WaveGanOptions Options => o;

    public override int LatentDim => o.LatentDim;

    public override int OutputLength => o.Length;

    public override int NumClasses => o.NumClasses;

    public override Tensor Generate(Tensor z, int[]? labels)
    {
        z = WithLabels(z, labels, embed);
        var h = fc.Forward(z).Reshape(z.Shape[0], o.Top * o.ModelSize, 16);
        if (bn0 is not null) h = bn0.Forward(h);
        h = h.Relu();
        for (int i = 0; i < ups.Count; i++)
        {
            if (o.Upsample) h = NearestUpsample(h, 4);
            h = ups[i].Forward(h);
            if (norms[i] is { } bn) h = bn.Forward(h);
            h = i == ups.Count - 1 ? h : h.Relu();
        }
        if (post is not null)
        {
            // 'same' padding for an even filter, as TensorFlow pads: (L−1)/2 before, L/2 after
            int before = (o.PostFilterLength - 1) / 2, after = o.PostFilterLength / 2;
            h = post.Forward(h.Pad(2, before, after));
        }
        return h.Tanh();
    }

    /// <summary>Repeats every sample <paramref name="factor"/> times along time: [B, C, L] → [B, C, L·factor].</summary>
    public static Tensor NearestUpsample(Tensor x, int factor) =>
        x.Unsqueeze(3).Expand(x.Shape[0], x.Shape[1], x.Shape[2], factor).Reshape(x.Shape[0], x.Shape[1], x.Shape[2] * factor);
}

/// <summary>WaveGAN's discriminator: (Conv1d(k25, s4, p11) → LeakyReLU(0.2) → phase shuffle(n)) for the first four layers,
/// then the remaining convs without phase shuffle, flatten, Linear → 1. Conditional models add a projection term
/// ⟨embed(y), φ(x)⟩ (Miyato &amp; Koyama 2018).</summary>
public sealed class WaveGanDiscriminator : DiscriminatorModule
{
    private readonly WaveGanOptions o;
    private readonly List<Conv1d> convs = new();
    private readonly List<BatchNorm1d?> norms = new();
    private readonly List<PhaseShuffle?> shuffles = new();
    private readonly Linear fc;
    private readonly Embedding? project;

    public WaveGanDiscriminator(WaveGanOptions options, RandomStream? gen = null, RandomStream? shuffleGen = null, DType dtype = DType.Float32, Device? device = null)
    {
        o = options;
        var dev = device ?? Device.Cpu;
        int ch = 1, d = o.ModelSize;
        for (int i = 0; i < o.Layers; i++)
        {
            int next = d << i;
            convs.Add(RegisterModule($"conv{i + 1}", new Conv1d(ch, next, o.KernelSize, 4, (o.KernelSize - 3) / 2, true, gen, dtype, dev)));
            norms.Add(o.BatchNorm && i > 0 ? RegisterModule($"bn{i + 1}", new BatchNorm1d(next, dtype: dtype, device: dev)) : null);
            shuffles.Add(i < 4 && o.PhaseShuffle > 0 ? RegisterModule($"shuffle{i + 1}", new PhaseShuffle(o.PhaseShuffle, o.PhaseShufflePerExample, shuffleGen)) : null);
            ch = next;
        }
        FeatureDim = ch * 16;
        fc = RegisterModule("fc", new Linear(FeatureDim, 1, true, gen, dtype, dev));
        if (o.NumClasses > 0) project = RegisterModule("project", new Embedding(o.NumClasses, FeatureDim, gen, dtype, dev));
        if (o.TensorFlowInit) WaveGanInit.Apply(this, gen ?? RandomStream.Default);
    }

    public int FeatureDim { get; }

    /// <summary>Each conv's bias add fused into its leaky ReLU (<see cref="Conv1d.ForwardLeakyRelu"/>; layers with batch
    /// norm keep the composite). Null (the default) = on for CUDA inputs, off for the CPU: on CUDA it saves the conv's
    /// separate bias kernel (one launch and one pass over the activations per layer) with bitwise the same results
    /// (tested); on the CPU the conv adds its bias inside the GEMM, so fusing does not pay (bench `fused`) and changes the
    /// last bits. True or false forces it.</summary>
    public bool? FuseBiasLeakyRelu { get; set; }

    public override int NumClasses => o.NumClasses;

    public override IReadOnlyList<PhaseShuffle> PhaseShuffles => shuffles.OfType<PhaseShuffle>().ToList();

    public override Tensor Score(Tensor x, int[]? labels)
    {
        var h = x;
        for (int i = 0; i < convs.Count; i++)
        {
            if ((FuseBiasLeakyRelu ?? h.Device.Type == DeviceType.Cuda) && norms[i] is null) h = convs[i].ForwardLeakyRelu(h, 0.2);
            else
            {
                h = convs[i].Forward(h);
                if (norms[i] is { } bn) h = bn.Forward(h);
                h = h.LeakyRelu(0.2);
            }
            if (shuffles[i] is { } ps) h = ps.Forward(h);
        }
        var feat = h.Flatten(1);
        return WithProjection(fc.Forward(feat), feat, labels, project);
    }
}
