using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>The non-saturating GAN (Goodfellow et al. 2014) with sigmoid cross-entropy on the logits, as the source study
/// trained it: the real label <paramref name="realLabel"/> (1 − s with label smoothing), the fake label
/// <paramref name="fakeLabel"/> (s with two-sided smoothing, else 0).</summary>
public sealed class BceObjective(double realLabel, double fakeLabel, double r1Gamma, int r1Every) : GanObjective(r1Gamma, r1Every)
{
    protected override Tensor CriticLoss(Tensor real, Tensor fake) => GanLosses.BceDiscriminator(real, fake, realLabel, fakeLabel);

    protected override Tensor GeneratorLoss(Tensor fake) => GanLosses.BceGenerator(fake);
}
