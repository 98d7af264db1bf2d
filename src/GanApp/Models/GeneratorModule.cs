using GanAudio.Nn;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>A generator: latents z [B, latent] (and class labels when conditional) → audio [B, 1, length] in [−1, 1].</summary>
public abstract class GeneratorModule : Module
{
    public abstract int LatentDim { get; }

    public abstract int OutputLength { get; }

    /// <summary>Number of classes for conditional generation (0 = unconditional).</summary>
    public abstract int NumClasses { get; }

    public abstract Tensor Generate(Tensor z, int[]? labels);

    public override Tensor Forward(Tensor x) => Generate(x, null);

    /// <summary>z, or [z, embed(labels)] for a conditional generator.</summary>
    protected static Tensor WithLabels(Tensor z, int[]? labels, Nn.Layers.Embedding? embed)
    {
        if (embed is null) return z;
        if (labels is null || labels.Length != z.Shape[0]) throw new ArgumentException("a conditional generator needs one label per latent");
        return Tensor.Cat([z, embed.Forward(labels)], 1);
    }
}
