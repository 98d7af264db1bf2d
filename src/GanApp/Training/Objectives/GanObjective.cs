using GanAudio.App.Models;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>What a critic step's regulariser may use: the discriminator's score of one input (<see cref="Score"/>, and
/// <see cref="AugmentedScore"/> through the run's augmentation), the batch, the critic's update count and the penalty's
/// random stream.</summary>
public sealed record CriticInputs(Func<Tensor, Tensor> Score, Func<Tensor, Tensor> AugmentedScore, Tensor Real, Tensor Fake, long CriticUpdates, RandomStream PenaltyRng);

/// <summary>The loss family of a run (<c>--loss</c>): the critic's and the generator's loss per discriminator score,
/// summed over the scores of a (multi-)discriminator, the critic's regulariser and what follows a critic update.
/// One subclass per family: <see cref="WganGpObjective"/>, <see cref="WganClipObjective"/>, <see cref="BceObjective"/>,
/// <see cref="HingeObjective"/>. Every family except WGAN-GP takes the lazy R1 penalty when <c>--r1-gamma</c> &gt; 0.</summary>
public abstract class GanObjective(double r1Gamma, int r1Every)
{
    public static GanObjective For(TrainConfig c) => c.Loss switch
    {
        LossKind.WganGp => new WganGpObjective(c.GpLambda, c.GpEvery),
        LossKind.WganClip => new WganClipObjective(c.Clip, c.R1Gamma, c.R1Every),
        LossKind.Bce => new BceObjective(1 - c.LabelSmoothing, c.TwoSidedSmoothing ? c.LabelSmoothing : 0, c.R1Gamma, c.R1Every),
        LossKind.Hinge => new HingeObjective(c.R1Gamma, c.R1Every),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Loss, "unknown loss"),
    };

    /// <summary>The critic's loss for one discriminator's scores of real and fake examples.</summary>
    protected abstract Tensor CriticLoss(Tensor real, Tensor fake);

    /// <summary>The generator's loss for one discriminator's scores of fake examples.</summary>
    protected abstract Tensor GeneratorLoss(Tensor fake);

    /// <summary>The critic's loss summed over the discriminator's scores.</summary>
    public Tensor Critic(IReadOnlyList<Tensor> real, IReadOnlyList<Tensor> fake)
    {
        Tensor? total = null;
        for (int i = 0; i < real.Count; i++)
        {
            var l = CriticLoss(real[i], fake[i]);
            total = total is null ? l : total + l;
        }
        return total!;
    }

    /// <summary>The generator's loss summed over the discriminator's scores.</summary>
    public Tensor Generator(IReadOnlyList<Tensor> fake)
    {
        Tensor? total = null;
        foreach (var f in fake)
        {
            var l = GeneratorLoss(f);
            total = total is null ? l : total + l;
        }
        return total!;
    }

    /// <summary>The regulariser added to this critic step's loss, or null for none. Here: R1 γ·k on real data every
    /// k-th critic update (lazy regularisation, StyleGAN2), when γ &gt; 0.</summary>
    public virtual Tensor? Penalty(CriticInputs x) =>
        r1Gamma > 0 && x.CriticUpdates % r1Every == 0 ? GanLosses.R1Penalty(x.AugmentedScore, x.Real, r1Gamma * r1Every) : null;

    /// <summary>Runs after each critic update (weight clipping).</summary>
    public virtual void AfterCriticUpdate(DiscriminatorModule d)
    {
    }

    /// <summary>The terms of the Wasserstein estimate, left on the device: E[D(real)] and E[D(fake)] of each
    /// discriminator score, interleaved (real₀, fake₀, real₁, fake₁, …), each a one-element tensor. The host combines them
    /// with <see cref="Estimate"/> once it reads them (at the log interval), so a training step never waits for them.</summary>
    public static IReadOnlyList<Tensor> EstimateTerms(IReadOnlyList<Tensor> real, IReadOnlyList<Tensor> fake)
    {
        var terms = new Tensor[2 * real.Count];
        for (int i = 0; i < real.Count; i++)
        {
            terms[2 * i] = real[i].Mean();
            terms[2 * i + 1] = fake[i].Mean();
        }
        return terms;
    }

    /// <summary>The Wasserstein estimate Σᵢ (E[D(real)]ᵢ − E[D(fake)]ᵢ) over the discriminator's scores (logged for every
    /// loss), in float64 from the terms of <see cref="EstimateTerms"/> as read back: w = 0, then w += realᵢ − fakeᵢ in
    /// order.</summary>
    public static double Estimate(ReadOnlySpan<double> terms)
    {
        double w = 0;
        for (int i = 0; i + 1 < terms.Length; i += 2) w += terms[i] - terms[i + 1];
        return w;
    }
}
