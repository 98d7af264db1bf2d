using GanAudio.App.Models;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Training;

/// <summary>The original WGAN (Arjovsky et al. 2017): Wasserstein losses, the critic's weights clipped to [−c, c] after
/// every critic update.</summary>
public sealed class WganClipObjective(double clip, double r1Gamma, int r1Every) : GanObjective(r1Gamma, r1Every)
{
    protected override Tensor CriticLoss(Tensor real, Tensor fake) => GanLosses.WassersteinCritic(real, fake);

    protected override Tensor GeneratorLoss(Tensor fake) => GanLosses.WassersteinGenerator(fake);

    public override void AfterCriticUpdate(DiscriminatorModule d)
    {
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        foreach (var p in d.Parameters()) p.CopyFrom(p.Clamp(-clip, clip));
    }
}
