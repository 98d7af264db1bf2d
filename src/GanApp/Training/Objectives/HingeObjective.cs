using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>The hinge loss (Lim &amp; Ye 2017; Miyato et al. 2018), with the lazy R1 penalty of the cpu preset
/// (<c>--r1-gamma</c>, <c>--r1-every</c>).</summary>
public sealed class HingeObjective(double r1Gamma, int r1Every) : GanObjective(r1Gamma, r1Every)
{
    protected override Tensor CriticLoss(Tensor real, Tensor fake) => GanLosses.HingeCritic(real, fake);

    protected override Tensor GeneratorLoss(Tensor fake) => GanLosses.HingeGenerator(fake);
}
