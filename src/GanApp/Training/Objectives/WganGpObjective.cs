using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>WGAN-GP (Gulrajani et al. 2017): Wasserstein losses and the gradient penalty λ·(‖∇D(x̂)‖ − 1)² on random
/// interpolates of real and fake, every critic step (WaveGAN's default, λ = 10), or lazily every k-th critic step with
/// weight λ·k (<c>--gp-every k</c>), which leaves the other steps without the penalty's double backward.</summary>
public sealed class WganGpObjective(double lambda, int every = 1) : GanObjective(0, 1)
{
    protected override Tensor CriticLoss(Tensor real, Tensor fake) => GanLosses.WassersteinCritic(real, fake);

    protected override Tensor GeneratorLoss(Tensor fake) => GanLosses.WassersteinGenerator(fake);

    public override Tensor? Penalty(CriticInputs x) =>
        x.CriticUpdates % every == 0 ? GanLosses.GradientPenalty(x.Score, x.Real, x.Fake, lambda * every, x.PenaltyRng) : null;
}
