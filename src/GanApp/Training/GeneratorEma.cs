using GanAudio.App.Models;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Training;

/// <summary>An exponential moving average of the generator's weights (Karras et al., StyleGAN2-ADA's G_ema): after every
/// iteration each parameter becomes β·ema + (1 − β)·θ with β = 0.5^(batch / half-life), the half-life counted in
/// examples and ramped up at the start (at most <see cref="RampUp"/> × the examples seen so far, StyleGAN2-ADA's
/// ema_rampup), so early averages do not drag in the random initial weights; a ramp-up of 0 keeps the full half-life
/// from the first step. Buffers (batch-norm statistics) are copied. The average is the generator used
/// for samples, evaluation and <c>generate</c>; it is saved in checkpoints under <see cref="Prefix"/>.</summary>
public sealed class GeneratorEma : IDisposable
{
    public const string Prefix = "generator_ema.";

    /// <summary>StyleGAN2-ADA's ema_rampup.</summary>
    public const double DefaultRampUp = 0.05;

    private readonly GeneratorModule source;

    public GeneratorEma(GeneratorModule source, GeneratorModule copy, double halfLifeExamples, double rampUp = DefaultRampUp)
    {
        if (halfLifeExamples <= 0) throw new ArgumentOutOfRangeException(nameof(halfLifeExamples), "the EMA half-life must be positive");
        if (rampUp < 0) throw new ArgumentOutOfRangeException(nameof(rampUp), "the EMA ramp-up must be >= 0");
        this.source = source;
        Model = copy;
        HalfLife = halfLifeExamples;
        RampUp = rampUp;
        foreach (var p in Model.Parameters()) p.RequiresGrad = false;
        CopyAll();
        Model.Eval();
    }

    /// <summary>The averaged generator (in eval mode).</summary>
    public GeneratorModule Model { get; }

    public double HalfLife { get; }

    /// <summary>The half-life is at most this × the examples seen (0 = no ramp-up).</summary>
    public double RampUp { get; }

    /// <summary>β for an update after <paramref name="examplesSeen"/> examples in batches of <paramref name="batch"/>.</summary>
    public double Beta(long examplesSeen, int batch)
    {
        double half = RampUp > 0 ? Math.Min(HalfLife, examplesSeen * RampUp) : HalfLife;
        return half <= 0 ? 0 : Math.Pow(0.5, batch / half);
    }

    /// <summary>ema ← β·ema + (1 − β)·θ for every parameter; buffers copied.</summary>
    public void Update(long examplesSeen, int batch)
    {
        double beta = Beta(examplesSeen, batch);
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        foreach (var ((_, e), (_, p)) in Model.NamedParameters().Zip(source.NamedParameters()))
        {
            e.MulInPlace(beta);
            e.AddInPlace(p, 1 - beta);
        }
        foreach (var ((_, e), (_, b)) in Model.NamedBuffers().Zip(source.NamedBuffers())) e.CopyFrom(b);
    }

    /// <summary>ema ← θ (a fresh start, or a checkpoint from before EMA was turned on).</summary>
    public void CopyAll()
    {
        using var scope = TensorScope.Begin();
        foreach (var ((_, e), (_, p)) in Model.StateDict().Zip(source.StateDict())) e.CopyFrom(p);
    }

    public void Dispose() => Model.Dispose();
}
