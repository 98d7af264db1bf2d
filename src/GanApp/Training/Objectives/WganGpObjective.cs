using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>WGAN-GP (Gulrajani et al. 2017): Wasserstein losses and the gradient penalty λ·(‖∇D(x̂)‖ − 1)² on random
/// interpolates of real and fake, every critic step (WaveGAN's default, λ = 10).</summary>
public sealed class WganGpObjective(double lambda) : GanObjective(0, 1)
{
    protected override Tensor CriticLoss(Tensor real, Tensor fake) => GanLosses.WassersteinCritic(real, fake);

    protected override Tensor GeneratorLoss(Tensor fake) => GanLosses.WassersteinGenerator(fake);

    public override Tensor? Penalty(CriticInputs x) => GanLosses.GradientPenalty(x.Score, x.Real, x.Fake, lambda, x.PenaltyRng);
}
