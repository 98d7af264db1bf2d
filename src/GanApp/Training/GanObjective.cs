using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>The loss family of a run, applied to every score of a (multi-)discriminator and summed: WGAN (with gradient
/// penalty or clipping), BCE (non-saturating, with label smoothing) or hinge.</summary>
public static class GanObjective
{
    public static Tensor Critic(TrainConfig c, IReadOnlyList<Tensor> real, IReadOnlyList<Tensor> fake)
    {
        Tensor? total = null;
        for (int i = 0; i < real.Count; i++)
        {
            var l = c.Loss switch
            {
                "bce" => GanLosses.BceDiscriminator(real[i], fake[i], 1 - c.LabelSmoothing, c.TwoSidedSmoothing ? c.LabelSmoothing : 0),
                "hinge" => GanLosses.HingeCritic(real[i], fake[i]),
                _ => GanLosses.WassersteinCritic(real[i], fake[i]),
            };
            total = total is null ? l : total + l;
        }
        return total!;
    }

    public static Tensor Generator(TrainConfig c, IReadOnlyList<Tensor> fake)
    {
        Tensor? total = null;
        foreach (var f in fake)
        {
            var l = c.Loss switch
            {
                "bce" => GanLosses.BceGenerator(f),
                "hinge" => GanLosses.HingeGenerator(f),
                _ => GanLosses.WassersteinGenerator(f),
            };
            total = total is null ? l : total + l;
        }
        return total!;
    }

    /// <summary>The Wasserstein estimate E[D(real)] − E[D(fake)] of the summed scores (logged for every loss).</summary>
    public static double Estimate(IReadOnlyList<Tensor> real, IReadOnlyList<Tensor> fake)
    {
        double w = 0;
        for (int i = 0; i < real.Count; i++) w += real[i].Mean().Item() - fake[i].Mean().Item();
        return w;
    }
}
