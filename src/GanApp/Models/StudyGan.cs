using GanAudio.Kernels;
using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>The study GAN's two variants.</summary>
public enum StudyArchitecture
{
    /// <summary>Fully connected G and D.</summary>
    Mlp,
    /// <summary>G: fully connected then transposed convs; D: convs.</summary>
    Conv,
}

/// <summary>The source study's own GAN and its knobs: a fully connected or a transposed-conv generator, a fully
/// connected or conv discriminator, hidden units, layer counts, extra stride-1 (de)conv layers, batch norm.</summary>
public sealed record StudyGanOptions
{
    public StudyArchitecture Architecture { get; init; } = StudyArchitecture.Mlp;
    public int Length { get; init; } = 16384;
    public int LatentDim { get; init; } = 100;
    public int HiddenUnits { get; init; } = 256;
    public int HiddenLayers { get; init; } = 2;
    /// <summary>Stride-4 (de)conv layers of the conv variant; the length must be divisible by 4^this.</summary>
    public int ConvLayers { get; init; } = 4;
    /// <summary>Additional stride-1 layers (the study's "extra deconv / conv layers").</summary>
    public int ExtraLayers { get; init; }
    public int Channels { get; init; } = 64;
    public int KernelSize { get; init; } = 25;
    public bool BatchNorm { get; init; }
    public int NumClasses { get; init; }
    public int EmbedDim { get; init; } = 16;
}

/// <summary>The study's generator (see <see cref="StudyGanOptions"/>); output tanh, [B, 1, length].</summary>
public sealed class StudyGenerator : GeneratorModule
{
    private readonly StudyGanOptions o;
    private readonly Sequential body;
    private readonly Embedding? embed;
    private readonly int startLength;

    public StudyGenerator(StudyGanOptions options, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        o = options;
        var dev = device ?? Device.Cpu;
        int zIn = o.LatentDim + (o.NumClasses > 0 ? o.EmbedDim : 0);
        if (o.NumClasses > 0) embed = RegisterModule("embed", new Embedding(o.NumClasses, o.EmbedDim, gen, dtype, dev));
        body = RegisterModule("body", new Sequential());
        if (o.Architecture == StudyArchitecture.Mlp)
        {
            int w = zIn;
            for (int i = 0; i < o.HiddenLayers; i++)
            {
                body.Add(new Linear(w, o.HiddenUnits, true, gen, dtype, dev));
                if (o.BatchNorm) body.Add(new BatchNorm1d(o.HiddenUnits, dtype: dtype, device: dev));
                body.Add(new ReLU());
                w = o.HiddenUnits;
            }
            body.Add(new Linear(w, o.Length, true, gen, dtype, dev));
            body.Add(new Reshape(1, o.Length));
        }
        else if (o.Architecture == StudyArchitecture.Conv)
        {
            int div = 1 << (2 * o.ConvLayers);
            if (o.Length % div != 0) throw new ArgumentException($"conv generator: length {o.Length} must be divisible by 4^{o.ConvLayers} = {div}");
            startLength = o.Length / div;
            int ch = o.Channels << Math.Max(0, o.ConvLayers - 1);
            body.Add(new Linear(zIn, ch * startLength, true, gen, dtype, dev));
            body.Add(new Reshape(ch, startLength));
            if (o.BatchNorm) body.Add(new BatchNorm1d(ch, dtype: dtype, device: dev));
            body.Add(new ReLU());
            int pad = (o.KernelSize - 3) / 2;
            for (int i = 0; i < o.ConvLayers; i++)
            {
                bool last = i == o.ConvLayers - 1 && o.ExtraLayers == 0;
                int next = last ? 1 : Math.Max(o.Channels, ch / 2);
                body.Add(new ConvTranspose1d(ch, next, o.KernelSize, 4, pad, 1, true, gen, dtype, dev));
                if (!last)
                {
                    if (o.BatchNorm) body.Add(new BatchNorm1d(next, dtype: dtype, device: dev));
                    body.Add(new ReLU());
                }
                ch = next;
            }
            for (int i = 0; i < o.ExtraLayers; i++)
            {
                bool last = i == o.ExtraLayers - 1;
                int next = last ? 1 : ch;
                body.Add(new ConvTranspose1d(ch, next, o.KernelSize, 1, o.KernelSize / 2, 0, true, gen, dtype, dev));
                if (!last)
                {
                    if (o.BatchNorm) body.Add(new BatchNorm1d(next, dtype: dtype, device: dev));
                    body.Add(new ReLU());
                }
                ch = next;
            }
        }
        else throw new ArgumentOutOfRangeException(nameof(o), o.Architecture, "unknown study architecture");
    }

    public override int LatentDim => o.LatentDim;

    public override int OutputLength => o.Length;

    public override int NumClasses => o.NumClasses;

    public override Tensor Generate(Tensor z, int[]? labels)
    {
        z = WithLabels(z, labels, embed);
        return body.Forward(z).Tanh();
    }
}

/// <summary>The study's discriminator: fully connected or convolutional, LeakyReLU(0.2), one logit per example
/// (BCE applies the sigmoid; Wasserstein uses the raw score). Conditional models add a projection term.</summary>
public sealed class StudyDiscriminator : DiscriminatorModule
{
    private readonly StudyGanOptions o;
    private readonly Sequential body;
    private readonly Linear head;
    private readonly Embedding? project;
    private readonly int featureDim;

    public StudyDiscriminator(StudyGanOptions options, RandomStream? gen = null, DType dtype = DType.Float32, Device? device = null)
    {
        o = options;
        var dev = device ?? Device.Cpu;
        body = RegisterModule("body", new Sequential());
        if (o.Architecture == StudyArchitecture.Mlp)
        {
            body.Add(new Flatten());
            int w = o.Length;
            for (int i = 0; i < o.HiddenLayers; i++)
            {
                body.Add(new Linear(w, o.HiddenUnits, true, gen, dtype, dev));
                body.Add(new LeakyReLU(0.2));
                w = o.HiddenUnits;
            }
            featureDim = w;
        }
        else
        {
            int ch = 1, len = o.Length, pad = (o.KernelSize - 3) / 2;
            for (int i = 0; i < o.ConvLayers; i++)
            {
                int next = o.Channels << i;
                body.Add(new Conv1d(ch, next, o.KernelSize, 4, pad, true, gen, dtype, dev));
                if (o.BatchNorm && i > 0) body.Add(new BatchNorm1d(next, dtype: dtype, device: dev));
                body.Add(new LeakyReLU(0.2));
                ch = next;
                len = Tensor.Conv1dOutputLength(len, o.KernelSize, 4, pad);
            }
            for (int i = 0; i < o.ExtraLayers; i++)
            {
                body.Add(new Conv1d(ch, ch, o.KernelSize, 1, o.KernelSize / 2, true, gen, dtype, dev));
                if (o.BatchNorm) body.Add(new BatchNorm1d(ch, dtype: dtype, device: dev));
                body.Add(new LeakyReLU(0.2));
            }
            body.Add(new Flatten());
            featureDim = ch * len;
        }
        head = RegisterModule("head", new Linear(featureDim, 1, true, gen, dtype, dev));
        if (o.NumClasses > 0) project = RegisterModule("project", new Embedding(o.NumClasses, featureDim, gen, dtype, dev));
    }

    public override int NumClasses => o.NumClasses;

    public override Tensor Score(Tensor x, int[]? labels)
    {
        var feat = body.Forward(x);
        return WithProjection(head.Forward(feat), feat, labels, project);
    }
}
