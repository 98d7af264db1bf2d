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
}

/// <summary>A discriminator / critic: audio [B, 1, length] (and labels when conditional) → scores [B, 1] (logits).</summary>
public abstract class DiscriminatorModule : Module
{
    public abstract int NumClasses { get; }

    public abstract Tensor Score(Tensor x, int[]? labels);

    public override Tensor Forward(Tensor x) => Score(x, null);

    /// <summary>Phase-shuffle layers inside, so tests and logs can see that they ran.</summary>
    public virtual IReadOnlyList<Nn.Layers.PhaseShuffle> PhaseShuffles => [];
}
