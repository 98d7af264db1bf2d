using GanAudio.Tensors;

namespace GanAudio.Nn.Optim;

/// <summary>SGD with momentum (torch.optim.SGD, dampening 0): b ← μ·b + g (b = g at the first step), step along
/// g + μ·b when Nesterov, else b; weight decay adds wd·p to g.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] buf;

    public Sgd(IEnumerable<(string Name, Tensor Value)> parameters, double lr = 1e-2, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        (Momentum, WeightDecay, Nesterov) = (momentum, weightDecay, nesterov);
        buf = Params.Select(p => momentum != 0 ? NewState(p.Name, "momentum_buffer", p.Value) : null).ToArray();
    }

    public override string Kind => "sgd";

    public double Momentum { get; }

    public double WeightDecay { get; }

    public bool Nesterov { get; }

    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay != 0) g = g + p * WeightDecay;
        if (buf[i] is { } b)
        {
            if (StepCount == 1) b.CopyFrom(g);
            else b.MulInPlace(Momentum).AddInPlace(g);
            g = Nesterov ? g + b * Momentum : b;
        }
        p.AddInPlace(g, -LearningRate);
    }
}

/// <summary>RMSprop (torch.optim.RMSprop, not centred): v ← α·v + (1−α)·g², p ← p − lr·g/(√v + ε);
/// with momentum μ: b ← μ·b + g/(√v + ε), p ← p − lr·b.</summary>
public sealed class RmsProp : Optimizer
{
    private readonly Tensor[] sq;
    private readonly Tensor?[] buf;

    public RmsProp(IEnumerable<(string Name, Tensor Value)> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0) : base(parameters, lr)
    {
        (Alpha, Eps, WeightDecay, Momentum) = (alpha, eps, weightDecay, momentum);
        sq = Params.Select(p => NewState(p.Name, "square_avg", p.Value)).ToArray();
        buf = Params.Select(p => momentum != 0 ? NewState(p.Name, "momentum_buffer", p.Value) : null).ToArray();
    }

    public override string Kind => "rmsprop";

    public double Alpha { get; }

    public double Eps { get; }

    public double WeightDecay { get; }

    public double Momentum { get; }

    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay != 0) g = g + p * WeightDecay;
        sq[i].MulInPlace(Alpha).AddInPlace(g * g, 1 - Alpha);
        var avg = sq[i].Sqrt() + Eps;
        if (buf[i] is { } b)
        {
            b.MulInPlace(Momentum).AddInPlace(g / avg);
            p.AddInPlace(b, -LearningRate);
        }
        else p.AddInPlace(g / avg, -LearningRate);
    }
}
