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

/// <summary>A discriminator / critic: audio [B, 1, length] (and labels when conditional) → scores [B, 1] (logits).</summary>
public abstract class DiscriminatorModule : Module
{
    public abstract int NumClasses { get; }

    public abstract Tensor Score(Tensor x, int[]? labels);

    /// <summary>One score per sub-discriminator (a single one here; <see cref="MultiDiscriminator"/> has several). Losses
    /// are computed per score and summed.</summary>
    public virtual IReadOnlyList<Tensor> Scores(Tensor x, int[]? labels) => [Score(x, labels)];

    public override Tensor Forward(Tensor x) => Score(x, null);

    /// <summary>Phase-shuffle layers inside, so tests and logs can see that they ran.</summary>
    public virtual IReadOnlyList<Nn.Layers.PhaseShuffle> PhaseShuffles => [];

    /// <summary>The projection discriminator's class term (Miyato &amp; Koyama 2018): score + ⟨embed(y), φ(x)⟩/√dim.</summary>
    protected static Tensor WithProjection(Tensor score, Tensor features, int[]? labels, Nn.Layers.Embedding? project)
    {
        if (project is null) return score;
        if (labels is null || labels.Length != features.Shape[0]) throw new ArgumentException("a conditional discriminator needs one label per example");
        return score + (project.Forward(labels) * features).Sum(1, keepDim: true) * (1.0 / Math.Sqrt(features.Shape[1]));
    }
}
