using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>Module registration, state dicts (strict loading with clear messages), modes and gradients.</summary>
public sealed class ModuleTests : IDisposable
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private readonly TensorScope scope = TensorScope.Begin();

    public void Dispose()
    {
        scope.Dispose();
    }

    private sealed class Net : Module
    {
        public Net(Device dev)
        {
            Body = RegisterModule("body", new Sequential(new Conv1d(1, 2, 3, gen: new RandomStream(1), device: dev), new LeakyReLU(0.2),
                new BatchNorm1d(2, device: dev)));
            Head = RegisterModule("head", new Linear(2 * 6, 1, gen: new RandomStream(2), device: dev));
        }

        public Sequential Body { get; }

        public Linear Head { get; }

        public override Tensor Forward(Tensor x) => Head.Forward(Body.Forward(x).Flatten(1));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void StateDictNamesFollowRegistration(string device)
    {
        var dev = DeviceRows.Get(device);
        using var net = new Net(dev);
        Assert.Equal(
            ["body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight", "head.bias", "body.2.running_mean", "body.2.running_var"],
            net.StateDict().Select(s => s.Name));
        Assert.Equal(2 * 3 + 2 + 2 + 2 + 12 + 1, net.ParameterCount());
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LoadStateDictCopiesValuesAndRejectsMismatchesByName(string device)
    {
        var dev = DeviceRows.Get(device);
        using var a = new Net(dev);
        using var b = new Net(dev);
        GradCheck.Set(a.Head.Bias!, [0.75]);
        b.LoadStateDict(a.StateDict().ToDictionary(s => s.Name, s => s.Value));
        Assert.Equal(0.75f, b.Head.Bias!.ToFloatArray()[0]);
        Assert.NotSame(a.Head.Bias, b.Head.Bias);

        var state = a.StateDict().ToDictionary(s => s.Name, s => s.Value);
        state.Remove("head.bias");
        state["head.extra"] = Tensor.Zeros([1], device: dev);
        state["body.0.weight"] = Tensor.Zeros([2, 1, 4], device: dev);
        var e = Assert.Throws<InvalidDataException>(() => b.LoadStateDict(state));
        Assert.Contains("missing keys: head.bias", e.Message);
        Assert.Contains("unexpected keys: head.extra", e.Message);
        Assert.Contains("body.0.weight (expected [2, 1, 3], got [2, 1, 4])", e.Message);

        // non-strict: missing and unexpected keys are allowed, a wrong shape still is not
        state["body.0.weight"] = a.Body.NamedParameters().First().Value;
        b.LoadStateDict(state, strict: false);
        state["body.0.weight"] = Tensor.Zeros([3], device: dev);
        Assert.Throws<InvalidDataException>(() => b.LoadStateDict(state, strict: false));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void TrainAndEvalReachEveryChild(string device)
    {
        var dev = DeviceRows.Get(device);
        using var net = new Net(dev);
        net.Eval();
        Assert.All(net.Body.Layers, l => Assert.False(l.Training));
        net.Train();
        Assert.All(net.Body.Layers, l => Assert.True(l.Training));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ZeroGradClearsGradients(string device)
    {
        var dev = DeviceRows.Get(device);
        using var net = new Net(dev);
        var x = Tensor.Randn([4, 1, 8], new RandomStream(3), device: dev);
        net.Forward(x).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.NotNull(p.Grad));
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientsAccumulateAcrossBackwardCalls(string device)
    {
        var dev = DeviceRows.Get(device);
        using var lin = new Linear(3, 2, gen: new RandomStream(4), dtype: DType.Float64, device: dev);
        var x = Tensor.Randn([5, 3], new RandomStream(5), dtype: DType.Float64, device: dev);
        lin.Forward(x).Sum().Backward();
        var once = lin.Weight.Grad!.ToDoubleArray();
        lin.Forward(x).Sum().Backward();
        var twice = lin.Weight.Grad!.ToDoubleArray();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void DefaultInitialisationHasPyTorchBounds(string device)
    {
        var dev = DeviceRows.Get(device);
        using var conv = new Conv1d(4, 8, 25, gen: new RandomStream(6), device: dev);
        using var deconv = new ConvTranspose1d(8, 4, 25, gen: new RandomStream(7), device: dev);
        using var lin = new Linear(50, 3, gen: new RandomStream(8), device: dev);
        // kaiming_uniform(a=√5) and the bias both give U(±1/√fan_in); fan_in = dim 1 × kernel
        AssertBound(conv.Weight, 1 / Math.Sqrt(4 * 25));
        AssertBound(conv.Bias!, 1 / Math.Sqrt(4 * 25));
        AssertBound(deconv.Weight, 1 / Math.Sqrt(4 * 25));
        AssertBound(deconv.Bias!, 1 / Math.Sqrt(4 * 25));
        AssertBound(lin.Weight, 1 / Math.Sqrt(50));
    }

    private static void AssertBound(Tensor t, double bound)
    {
        var v = t.ToDoubleArray();
        Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, bound));
        Assert.True(v.Max(Math.Abs) > 0.8 * bound, $"values reach only {v.Max(Math.Abs)} of bound {bound}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void DropoutScalesKeptValuesAndIsIdentityInEval(string device)
    {
        var dev = DeviceRows.Get(device);
        var d = new Dropout(0.25, new RandomStream(9));
        var x = Tensor.Ones([4000], device: dev);
        var y = d.Forward(x).ToFloatArray();
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75) < 1e-6));
        double dropped = y.Count(v => v == 0) / 4000.0;
        Assert.InRange(dropped, 0.2, 0.3);
        d.Eval();
        Assert.Same(x, d.Forward(x));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EmbeddingGathersRows(string device)
    {
        var dev = DeviceRows.Get(device);
        using var emb = new Embedding(4, 3, new RandomStream(10), device: dev);
        var w = emb.Weight.ToFloatArray();
        var y = emb.Forward([2, 0, 2]).ToFloatArray();
        Assert.Equal(w[6..9].Concat(w[0..3]).Concat(w[6..9]), y);
        Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward([4]));
    }
}

/// <summary>SGD and RMSprop against their formulas written out by hand, and optimizer state for checkpoints.</summary>
public sealed class OptimizerTests : IDisposable
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private readonly TensorScope scope = TensorScope.Begin();

    public void Dispose()
    {
        scope.Dispose();
    }

    /// <summary>Runs three steps of f(p) = Σ c·p² (gradient 2c·p) and returns the parameter after each.</summary>
    private static double[][] Run(Device dev, Func<IEnumerable<(string, Tensor)>, Optimizer> make, double[] p0, double[] c)
    {
        using var p = Tensor.FromArray(p0, [p0.Length], device: dev).RequireGrad();
        using var cc = Tensor.FromArray(c, [c.Length], device: dev);
        using var opt = make([("p", p)]);
        var r = new double[3][];
        for (int s = 0; s < 3; s++)
        {
            using var sc = TensorScope.Begin();
            opt.ZeroGrad();
            (p.Square() * cc).Sum().Backward();
            opt.Step();
            r[s] = p.ToDoubleArray();
        }
        return r;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SgdWithMomentumAndWeightDecayFollowsTorch(string device)
    {
        var dev = DeviceRows.Get(device);
        double[] p0 = [1.0, -2.0], c = [0.5, 1.5];
        const double lr = 0.1, mu = 0.9, wd = 0.01;
        var got = Run(dev, ps => new Sgd(ps, lr, momentum: mu, weightDecay: wd), p0, c);
        var p = (double[])p0.Clone();
        var b = new double[2];
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < 2; i++)
            {
                double g = 2 * c[i] * p[i] + wd * p[i];
                b[i] = s == 0 ? g : mu * b[i] + g;
                p[i] -= lr * b[i];
            }
            for (int i = 0; i < 2; i++) Assert.Equal(p[i], got[s][i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void NesterovSgdFollowsTorch(string device)
    {
        var dev = DeviceRows.Get(device);
        double[] p0 = [1.0, -2.0], c = [0.5, 1.5];
        var got = Run(dev, ps => new Sgd(ps, 0.1, momentum: 0.8, nesterov: true), p0, c);
        var p = (double[])p0.Clone();
        var b = new double[2];
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < 2; i++)
            {
                double g = 2 * c[i] * p[i];
                b[i] = s == 0 ? g : 0.8 * b[i] + g;
                p[i] -= 0.1 * (g + 0.8 * b[i]);
            }
            for (int i = 0; i < 2; i++) Assert.Equal(p[i], got[s][i], 1e-12);
        }
    }

    [Theory]
    [InlineData("cpu", 0.0)]
    [InlineData("cpu", 0.5)]
    [InlineData("cuda", 0.0)]
    [InlineData("cuda", 0.5)]
    public void RmsPropFollowsTorch(string device, double momentum)
    {
        var dev = DeviceRows.Get(device);
        double[] p0 = [1.0, -2.0], c = [0.5, 1.5];
        const double lr = 0.01, alpha = 0.99, eps = 1e-8;
        var got = Run(dev, ps => new RmsProp(ps, lr, alpha, eps, momentum: momentum), p0, c);
        var p = (double[])p0.Clone();
        var v = new double[2];
        var b = new double[2];
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < 2; i++)
            {
                double g = 2 * c[i] * p[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double step = g / (Math.Sqrt(v[i]) + eps);
                if (momentum != 0)
                {
                    b[i] = momentum * b[i] + step;
                    step = b[i];
                }
                p[i] -= lr * step;
            }
            for (int i = 0; i < 2; i++) Assert.Equal(p[i], got[s][i], 1e-12);
        }
    }

    /// <summary>Saving the optimizer state and step count and loading them into a fresh optimizer continues exactly.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void AdamResumesExactlyFromItsState(string device)
    {
        var dev = DeviceRows.Get(device);
        double[] p0 = [0.3, -0.7, 1.1];
        using var pa = Tensor.FromArray(p0, [3], device: dev).RequireGrad();
        using var pb = Tensor.FromArray(p0, [3], device: dev).RequireGrad();
        using var a = new Adam([("p", pa)], 0.01, 0.5, 0.9, amsgrad: true);
        Assert.Equal(["p.exp_avg", "p.exp_avg_sq", "p.max_exp_avg_sq"], a.State.Select(s => s.Name));
        void Step(Optimizer o, Tensor p)
        {
            using var s = TensorScope.Begin();
            o.ZeroGrad();
            (p.Pow(3) * 0.5).Sum().Backward();
            o.Step();
        }
        for (int i = 0; i < 4; i++) Step(a, pa);
        pb.CopyFrom(pa);
        using var b = new Adam([("p", pb)], 0.01, 0.5, 0.9, amsgrad: true);
        b.LoadState(a.State.ToDictionary(s => s.Name, s => s.Value), a.StepCount);
        for (int i = 0; i < 3; i++)
        {
            Step(a, pa);
            Step(b, pb);
        }
        Assert.Equal(pa.ToDoubleArray(), pb.ToDoubleArray());
        Assert.Throws<InvalidDataException>(() => b.LoadState(new Dictionary<string, Tensor>(), 1));
    }
}
