using GanAudio.Nn;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>Several discriminators judging the same audio (HiFi-GAN's and MelGAN's sets of sub-discriminators): each
/// returns its own score, and the losses are summed over them (<see cref="Scores"/>); <see cref="Score"/> is the sum,
/// the critic a Wasserstein loss or a penalty sees.</summary>
public sealed class MultiDiscriminator : DiscriminatorModule
{
    private readonly List<DiscriminatorModule> parts = new();

    public MultiDiscriminator(IReadOnlyList<(string Name, DiscriminatorModule D)> discriminators)
    {
        if (discriminators.Count == 0) throw new ArgumentException("a multi-discriminator needs at least one part");
        foreach (var (name, d) in discriminators) parts.Add(RegisterModule(name, d));
        NumClasses = parts[0].NumClasses;
    }

    public IReadOnlyList<DiscriminatorModule> Parts => parts;

    public override int NumClasses { get; }

    public override IReadOnlyList<Nn.Layers.PhaseShuffle> PhaseShuffles => parts.SelectMany(p => p.PhaseShuffles).ToList();

    public override IReadOnlyList<Tensor> Scores(Tensor x, int[]? labels) => parts.Select(p => p.Score(x, labels)).ToList();

    public override Tensor Score(Tensor x, int[]? labels)
    {
        var scores = Scores(x, labels);
        var sum = scores[0];
        for (int i = 1; i < scores.Count; i++) sum = sum + scores[i];
        return sum;
    }
}
