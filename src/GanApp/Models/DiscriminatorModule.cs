using GanAudio.Nn;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

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
