using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using static GanAudio.Nn.Tests.TestSupport;

namespace GanAudio.Nn.Tests;

/// <summary>Float64 central-difference checks of every layer's input and parameter gradients, of the losses, and of the
/// gradient penalty's second-order gradient with respect to the critic's parameters, on every device row (the same
/// float64 tolerances on cuda as on the CPU: the central differences leave far more error than summation order).</summary>
public sealed class GradCheckTests(ITestOutputHelper log)
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private const DType F64 = DType.Float64;

    /// <summary>Checks d(Σ layer(x)·gy) w.r.t. x and every parameter.</summary>
    private void CheckLayer(Device dev, string what, Module layer, int[] inputShape, Action? beforeForward = null, bool inputGrad = true, ulong seed = 7)
    {
        using var x = Seeded(inputShape, seed, device: dev).RequireGrad(inputGrad);
        Assert.All(layer.NamedParameters(), p => Assert.Equal(dev, p.Item2.Device));
        var wrt = new List<(string, Tensor)>();
        if (inputGrad) wrt.Add(("x", x));
        wrt.AddRange(layer.NamedParameters());
        Assert.NotEmpty(wrt);
        GradCheck.Check(what, () =>
        {
            beforeForward?.Invoke();
            return GradCheck.Weighted(layer.Forward(x));
        }, wrt, log: log);
        layer.Dispose();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Linear(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "Linear", new Linear(5, 4, gen: new RandomStream(1), dtype: F64, device: dev), [3, 5]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LinearOnRank3Input(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "Linear rank 3", new Linear(5, 4, gen: new RandomStream(2), dtype: F64, device: dev), [2, 3, 5]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LinearWithoutBias(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "Linear no bias", new Linear(5, 4, bias: false, gen: new RandomStream(3), dtype: F64, device: dev), [3, 5]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Conv1dStridedPadded(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "Conv1d", new Conv1d(3, 4, 25, stride: 4, padding: 11, gen: new RandomStream(4), dtype: F64, device: dev), [2, 3, 40]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Conv1dUnitStrideNoBias(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "Conv1d s1", new Conv1d(2, 3, 5, stride: 1, padding: 2, bias: false, gen: new RandomStream(5), dtype: F64, device: dev), [2, 2, 11]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Conv1dLengthNotMultipleOfStride(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "Conv1d ragged", new Conv1d(2, 3, 4, stride: 3, padding: 1, gen: new RandomStream(6), dtype: F64, device: dev), [2, 2, 13]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ConvTranspose1dWaveGanGeometry(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "ConvTranspose1d", new ConvTranspose1d(3, 2, 25, stride: 4, padding: 11, outputPadding: 1, gen: new RandomStream(7), dtype: F64, device: dev), [2, 3, 6]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ConvTranspose1dNoPadding(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "ConvTranspose1d p0", new ConvTranspose1d(2, 3, 4, stride: 2, gen: new RandomStream(8), dtype: F64, device: dev), [2, 2, 5]);
    }

    [Theory]
    [InlineData("cpu", "relu")]
    [InlineData("cpu", "leaky")]
    [InlineData("cpu", "tanh")]
    [InlineData("cpu", "sigmoid")]
    [InlineData("cpu", "flatten")]
    [InlineData("cpu", "reshape")]
    [InlineData("cuda", "relu")]
    [InlineData("cuda", "leaky")]
    [InlineData("cuda", "tanh")]
    [InlineData("cuda", "sigmoid")]
    [InlineData("cuda", "flatten")]
    [InlineData("cuda", "reshape")]
    public void ParameterFreeLayers(string device, string kind)
    {
        var dev = DeviceRows.Get(device);
        Module m = kind switch
        {
            "relu" => new ReLU(),
            "leaky" => new LeakyReLU(0.2),
            "tanh" => new Tanh(),
            "sigmoid" => new Sigmoid(),
            "flatten" => new Flatten(),
            _ => new Reshape(4, 6),
        };
        CheckLayer(dev, kind, m, [2, 3, 8]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SequentialOfLayers(string device)
    {
        var dev = DeviceRows.Get(device);
        var g = new RandomStream(9);
        var net = new Sequential(
            new Conv1d(2, 4, 5, stride: 2, padding: 2, gen: g, dtype: F64, device: dev),
            new LeakyReLU(0.2),
            new ConvTranspose1d(4, 2, 4, stride: 2, padding: 1, gen: g, dtype: F64, device: dev),
            new Tanh(),
            new Flatten(),
            new Linear(2 * 16, 3, gen: g, dtype: F64, device: dev),
            new Sigmoid());
        CheckLayer(dev, "Sequential", net, [2, 2, 16]);
    }

    [Theory]
    [InlineData("cpu", 3)]
    [InlineData("cpu", 2)]
    [InlineData("cuda", 3)]
    [InlineData("cuda", 2)]
    public void BatchNorm1dTrainingMode(string device, int rank)
    {
        var dev = DeviceRows.Get(device);
        var bn = new BatchNorm1d(3, dtype: F64, device: dev);
        RandomiseAffine(bn);
        CheckLayer(dev, $"BatchNorm1d train rank {rank}", bn, rank == 3 ? [4, 3, 5] : [6, 3]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void BatchNorm1dEvalMode(string device)
    {
        var dev = DeviceRows.Get(device);
        var bn = new BatchNorm1d(3, dtype: F64, device: dev);
        RandomiseAffine(bn);
        GradCheck.Set(bn.RunningMean, [0.3, -0.2, 0.1]);
        GradCheck.Set(bn.RunningVar, [0.5, 1.7, 0.9]);
        bn.Eval();
        CheckLayer(dev, "BatchNorm1d eval", bn, [4, 3, 5]);
    }

    private static void RandomiseAffine(BatchNorm1d bn)
    {
        GradCheck.Set(bn.Weight!, [0.7, 1.3, -0.4]);
        GradCheck.Set(bn.Bias!, [0.1, -0.5, 0.25]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void DropoutWithAFixedMask(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(10);
        CheckLayer(dev, "Dropout", new Dropout(0.3, gen), [3, 4, 6], beforeForward: () => gen.Reset(10));
    }

    [Theory]
    [InlineData("cpu", false, 3UL)]
    [InlineData("cpu", true, 4UL)]
    [InlineData("cuda", false, 3UL)]
    [InlineData("cuda", true, 4UL)]
    public void PhaseShuffleWithAFixedShift(string device, bool perExample, ulong seed)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(seed);
        var ps = new PhaseShuffle(2, perExample, gen);
        CheckLayer(dev, $"PhaseShuffle perExample={perExample}", ps, [3, 2, 9], beforeForward: () => gen.Reset(seed));
        Assert.Contains(ps.LastShifts, k => k != 0);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EmbeddingWeight(string device)
    {
        var dev = DeviceRows.Get(device);
        using var emb = new Embedding(5, 3, new RandomStream(11), F64, device: dev);
        int[] idx = [4, 0, 2, 4];
        GradCheck.Check("Embedding", () => GradCheck.Weighted(emb.Forward(idx)), [.. emb.NamedParameters()], log: log);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Losses(string device)
    {
        var dev = DeviceRows.Get(device);
        using var a = Seeded([6, 1], 21, device: dev).RequireGrad();
        using var b = Seeded([6, 1], 22, device: dev).RequireGrad();
        using var t = Tensor.FromArray([1, 0, 1, 1, 0, 0.5], [6, 1], device: dev);
        (string, Func<Tensor>)[] cases =
        [
            ("WassersteinCritic", () => GanLosses.WassersteinCritic(a, b)),
            ("WassersteinGenerator", () => GanLosses.WassersteinGenerator(b) * a.Sum()),
            ("BceWithLogits", () => GanLosses.BceWithLogits(a, t) + GanLosses.BceWithLogits(b, 0.9)),
            ("BceDiscriminator", () => GanLosses.BceDiscriminator(a, b, 0.9, 0.1)),
            ("BceGenerator", () => GanLosses.BceGenerator(b) * a.Mean()),
            ("HingeCritic", () => GanLosses.HingeCritic(a, b)),
            ("HingeGenerator", () => GanLosses.HingeGenerator(b) * a.Mean()),
            ("Mse", () => GanLosses.Mse(a, b)),
        ];
        foreach (var (name, f) in cases) GradCheck.Check(name, f, [("a", a), ("b", b)], log: log);
    }

    /// <summary>d(gp)/d(critic parameters) through the double-backward graph, against finite differences of gp. The last
    /// bias (and, behind piecewise-linear activations, earlier biases) do not reach ∇ₓD: their gradient is absent or zero.</summary>
    [Theory]
    [InlineData("cpu", "leaky")]
    [InlineData("cpu", "tanh")]
    [InlineData("cpu", "deconv")]
    [InlineData("cpu", "ragged")]
    [InlineData("cuda", "leaky")]
    [InlineData("cuda", "tanh")]
    [InlineData("cuda", "deconv")]
    [InlineData("cuda", "ragged")]
    public void GradientPenaltySecondOrder(string device, string kind)
    {
        var dev = DeviceRows.Get(device);
        var g = new RandomStream(31);
        using var critic = kind switch
        {
            "leaky" => new Sequential(new Conv1d(2, 3, 5, stride: 2, padding: 2, gen: g, dtype: F64, device: dev), new LeakyReLU(0.2),
                new Conv1d(3, 2, 5, stride: 2, padding: 2, gen: g, dtype: F64, device: dev), new LeakyReLU(0.2), new Flatten(), new Linear(2 * 4, 1, gen: g, dtype: F64, device: dev)),
            "tanh" => new Sequential(new Conv1d(2, 3, 5, stride: 2, padding: 2, gen: g, dtype: F64, device: dev), new Tanh(),
                new Flatten(), new Linear(3 * 8, 1, gen: g, dtype: F64, device: dev)),
            // WaveGAN's geometry (kernel 25, stride 4, padding 11) and a second conv whose stride leaves samples unused
            "ragged" => new Sequential(new Conv1d(2, 3, 25, stride: 4, padding: 11, gen: g, dtype: F64, device: dev), new Tanh(),
                new Conv1d(3, 2, 3, stride: 2, gen: g, dtype: F64, device: dev), new Tanh(), new Flatten(), new Linear(2, 1, gen: g, dtype: F64, device: dev)),
            _ => new Sequential(new Conv1d(2, 3, 4, stride: 2, padding: 1, gen: g, dtype: F64, device: dev), new Tanh(),
                new ConvTranspose1d(3, 2, 4, stride: 2, padding: 1, gen: g, dtype: F64, device: dev), new Sigmoid(), new Flatten(), new Linear(2 * 16, 1, gen: g, dtype: F64, device: dev)),
        };
        using var real = Seeded([3, 2, 16], 32, device: dev);
        using var fake = Seeded([3, 2, 16], 33, device: dev);
        var alphaGen = new RandomStream(34);
        GradCheck.Check($"GradientPenalty ({kind})", () =>
        {
            alphaGen.Reset(34);
            return GanLosses.GradientPenalty(critic.Forward, real, fake, 10, alphaGen);
        }, [.. critic.NamedParameters()], maxPerTensor: 24, log: log, allowNoGradient: true);
    }

    /// <summary>The penalty's value is λ·mean((‖∇D‖ − 1)²) with ∇D computed by the first-order gradient.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyValueForALinearCritic(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var lin = new Linear(4, 1, gen: new RandomStream(41), dtype: F64, device: dev);
        var real = Seeded([5, 4], 42, device: dev);
        var fake = Seeded([5, 4], 43, device: dev);
        // for D(x) = w·x + b the input gradient is w for every interpolate, so gp = λ(‖w‖ − 1)²
        double norm = Math.Sqrt(lin.Weight.ToDoubleArray().Sum(v => v * v));
        double gp = GanLosses.GradientPenalty(lin.Forward, real, fake, 10, new RandomStream(44)).Item();
        Assert.Equal(10 * (norm - 1) * (norm - 1), gp, 1e-9);
    }
}
