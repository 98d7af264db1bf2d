using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Nn.Losses;

/// <summary>GAN losses built from differentiable primitives (their gradients, second order included, come from the
/// backward-rule table).</summary>
public static class GanLosses
{
    /// <summary>Wasserstein critic loss: E[D(fake)] − E[D(real)] (minimised by the critic).</summary>
    public static Tensor WassersteinCritic(Tensor dReal, Tensor dFake) => dFake.Mean() - dReal.Mean();

    /// <summary>Wasserstein generator loss: −E[D(fake)].</summary>
    public static Tensor WassersteinGenerator(Tensor dFake) => dFake.Mean().Neg();

    /// <summary>Gradient penalty of WGAN-GP (Gulrajani et al. 2017): λ·E[(‖∇ₓ̂ D(x̂)‖₂ − 1)²] at random interpolates
    /// x̂ = real + α·(fake − real), α ~ U(0, 1) per example. The gradient is taken with createGraph so the penalty can be
    /// differentiated w.r.t. the critic's parameters (double backprop).</summary>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, double lambda, RandomStream? gen = null)
    {
        var shape = new int[real.Rank];
        Array.Fill(shape, 1);
        shape[0] = real.Shape[0];
        var alpha = Tensor.Rand(shape, gen, 0, 1, real.DType, real.Device);
        var xhat = (real.Detach() + (fake.Detach() - real.Detach()) * alpha).Detach().RequireGrad();
        var d = critic(xhat);
        var g = Engine.Grad([d.Sum()], [xhat], createGraph: true)[0]
            ?? throw new InvalidOperationException("gradient penalty: the critic output does not depend on its input");
        var norm = g.PerExampleNorm(1e-12);  // √(Σ g² + 1e-12) per example, one fused op
        return (norm - 1.0).Square().Mean() * lambda;
    }

    /// <summary>R1 penalty (Mescheder et al. 2018): γ/2 · E[‖∇ₓ D(x)‖²] on real data, taken with createGraph so it can be
    /// differentiated w.r.t. the discriminator's parameters. Applied lazily (every k steps with γ·k, as StyleGAN2 does),
    /// it regularises hinge and non-saturating losses at a fraction of WGAN-GP's per-step cost.</summary>
    public static Tensor R1Penalty(Func<Tensor, Tensor> critic, Tensor real, double gamma)
    {
        var x = real.Detach().RequireGrad();
        var d = critic(x);
        var g = Engine.Grad([d.Sum()], [x], createGraph: true)[0]
            ?? throw new InvalidOperationException("R1 penalty: the critic output does not depend on its input");
        var axes = Enumerable.Range(1, g.Rank - 1).ToArray();
        return g.SumSquares(axes).Mean() * (gamma / 2);
    }

    /// <summary>Mean binary cross-entropy on logits (torch.nn.BCEWithLogitsLoss) in the stable form
    /// max(x, 0) − x·t + log(1 + e^(−|x|)).</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor target)
    {
        var softplus = (logits.Abs().Neg().Exp() + 1.0).Log();
        return (logits.Relu() - logits * target + softplus).Mean();
    }

    /// <summary>BCE against a constant label (one-sided label smoothing: real label 0.9 instead of 1, say).</summary>
    public static Tensor BceWithLogits(Tensor logits, double label)
    {
        // the label enters as a scalar: a constant target tensor would be saved by the product's backward rule
        var softplus = (logits.Abs().Neg().Exp() + 1.0).Log();
        return (logits.Relu() - logits * label + softplus).Mean();
    }

    /// <summary>Discriminator BCE with label smoothing: real target <paramref name="realLabel"/> (e.g. 0.9, one-sided),
    /// fake target <paramref name="fakeLabel"/> (e.g. 0.1 for two-sided smoothing).</summary>
    public static Tensor BceDiscriminator(Tensor dReal, Tensor dFake, double realLabel = 1.0, double fakeLabel = 0.0) =>
        BceWithLogits(dReal, realLabel) + BceWithLogits(dFake, fakeLabel);

    /// <summary>Non-saturating generator BCE: −log σ(D(G(z))).</summary>
    public static Tensor BceGenerator(Tensor dFake) => BceWithLogits(dFake, 1.0);

    /// <summary>Hinge critic loss: E[relu(1 − D(real))] + E[relu(1 + D(fake))].</summary>
    public static Tensor HingeCritic(Tensor dReal, Tensor dFake) => dReal.RSub(1.0).Relu().Mean() + (dFake + 1.0).Relu().Mean();

    /// <summary>Hinge generator loss: −E[D(fake)].</summary>
    public static Tensor HingeGenerator(Tensor dFake) => dFake.Mean().Neg();

    /// <summary>Mean squared error (torch.nn.MSELoss).</summary>
    public static Tensor Mse(Tensor prediction, Tensor target) => (prediction - target).Square().Mean();
}
