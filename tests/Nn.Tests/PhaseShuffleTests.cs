using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Nn.Tests;

/// <summary>WaveGAN's phase shuffle: a real shift by k ∈ [−n, n] with reflection at the edges (y[t] = x[refl(t − k)],
/// as tf.pad(mode='reflect') and a crop give), and a gradient that flows back through the same shift.</summary>
[Collection(nameof(LiveCounters))]  // counts launches on the shared device: runs alone
public sealed class PhaseShuffleTests : IDisposable
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private readonly TensorScope scope = TensorScope.Begin();

    public void Dispose()
    {
        scope.Dispose();
    }

    private static int Reflect(int i, int len) => i < 0 ? -i : i > len - 1 ? 2 * (len - 1) - i : i;

    /// <summary>x[b, c, t] = 1000b + 100c + t: every element distinct.</summary>
    private static Tensor Ramp(Device dev, int b, int c, int len)
    {
        var v = new double[b * c * len];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < c; j++)
                for (int t = 0; t < len; t++) v[(i * c + j) * len + t] = 1000 * i + 100 * j + t;
        return Tensor.FromArray(v, [b, c, len], device: dev);
    }

    private static double[] Expected(double[] x, int b, int c, int len, Func<int, int> shiftOf)
    {
        var y = new double[x.Length];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < c; j++)
                for (int t = 0; t < len; t++) y[(i * c + j) * len + t] = x[(i * c + j) * len + Reflect(t - shiftOf(i), len)];
        return y;
    }

    [Theory]
    [InlineData("cpu", -3)]
    [InlineData("cpu", -1)]
    [InlineData("cpu", 1)]
    [InlineData("cpu", 2)]
    [InlineData("cpu", 3)]
    [InlineData("cuda", -3)]
    [InlineData("cuda", -1)]
    [InlineData("cuda", 1)]
    [InlineData("cuda", 2)]
    [InlineData("cuda", 3)]
    public void ShiftReflectsAtTheEdges(string device, int k)
    {
        var dev = DeviceRows.Get(device);
        var x = Ramp(dev, 2, 3, 10);
        var y = PhaseShuffle.Shift(x, k).ToDoubleArray();
        Assert.Equal(Expected(x.ToDoubleArray(), 2, 3, 10, _ => k), y);
        // spelled out for one row: k = 2 gives x2 x1 x0 x1 … x7; k = −2 gives x2 … x9 x8 x7
        if (k == 2) Assert.Equal(new double[] { 2, 1, 0, 1, 2, 3, 4, 5, 6, 7 }, y[..10]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void TrainingModeShiftsByEveryValueInRangeAndNeverOutside(string device)
    {
        var dev = DeviceRows.Get(device);
        var ps = new PhaseShuffle(2, gen: new RandomStream(5));
        var x = Ramp(dev, 2, 2, 12);
        var xv = x.ToDoubleArray();
        var seen = new HashSet<int>();
        int nonIdentity = 0;
        for (int i = 0; i < 60; i++)
        {
            var y = ps.Forward(x).ToDoubleArray();
            int k = Assert.Single(ps.LastShifts);
            Assert.InRange(k, -2, 2);
            seen.Add(k);
            Assert.Equal(Expected(xv, 2, 2, 12, _ => k), y);
            if (k != 0)
            {
                Assert.NotEqual(xv, y);
                nonIdentity++;
            }
        }
        Assert.Equal(new[] { -2, -1, 0, 1, 2 }, seen.Order().ToArray());
        Assert.True(nonIdentity >= 30, $"only {nonIdentity} of 60 passes shifted");
        Assert.Equal(60, ps.ShuffleCount);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void PerExampleShiftsDifferAcrossTheBatch(string device)
    {
        var dev = DeviceRows.Get(device);
        var ps = new PhaseShuffle(2, perExample: true, gen: new RandomStream(6));
        var x = Ramp(dev, 16, 2, 9);
        var y = ps.Forward(x).ToDoubleArray();
        var shifts = ps.LastShifts;
        Assert.Equal(16, shifts.Length);
        Assert.True(shifts.Distinct().Count() > 1, "16 examples all got the same shift");
        Assert.Equal(Expected(x.ToDoubleArray(), 16, 2, 9, b => shifts[b]), y);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EvalModeAndRadiusZeroAreTheIdentity(string device)
    {
        var dev = DeviceRows.Get(device);
        var x = Ramp(dev, 2, 2, 8);
        var ps = new PhaseShuffle(2, gen: new RandomStream(7));
        ps.Eval();
        Assert.Same(x, ps.Forward(x));
        Assert.Empty(ps.LastShifts);
        var none = new PhaseShuffle(0);
        Assert.Same(x, none.Forward(x));
    }

    /// <summary>dL/dx[i] = Σ over t with refl(t − k) = i of gy[t]: the adjoint of the same shift, edges included.</summary>
    [Theory]
    [InlineData("cpu", false)]
    [InlineData("cpu", true)]
    [InlineData("cuda", false)]
    [InlineData("cuda", true)]
    public void GradientFlowsBackThroughTheSameShift(string device, bool perExample)
    {
        var dev = DeviceRows.Get(device);
        const int b = 4, c = 2, len = 11;
        var ps = new PhaseShuffle(3, perExample, new RandomStream(8));
        bool shifted = false;
        for (int trial = 0; trial < 5; trial++)
        {
            var x = Tensor.Randn([b, c, len], new RandomStream(9), dtype: DType.Float64, device: dev).RequireGrad();
            var gy = Tensor.Randn([b, c, len], new RandomStream(10), dtype: DType.Float64, device: dev);
            var y = ps.Forward(x);
            (y * gy).Sum().Backward();
            var shifts = ps.LastShifts;
            shifted |= shifts.Any(k => k != 0);
            var g = gy.ToDoubleArray();
            var expected = new double[g.Length];
            for (int i = 0; i < b; i++)
            {
                int k = perExample ? shifts[i] : shifts[0];
                for (int j = 0; j < c; j++)
                    for (int t = 0; t < len; t++) expected[(i * c + j) * len + Reflect(t - k, len)] += g[(i * c + j) * len + t];
            }
            var actual = x.Grad!.ToDoubleArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
            x.Grad.Dispose();
        }
        Assert.True(shifted, "no trial shifted");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ShiftAsLongAsTheSignalIsRejected(string device)
    {
        var dev = DeviceRows.Get(device);
        var x = Ramp(dev, 1, 1, 3);
        Assert.ThrowsAny<Exception>(() => PhaseShuffle.Shift(x, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhaseShuffle(-1));
    }

    /// <summary>The layer is one kernel forward and one backward in both modes (no slices, no cat, no per-example
    /// pads): on CUDA the forward is one launch and the input gradient one more, with no host synchronisation.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardAndBackwardAreOneLaunchEachOnCuda(bool perExample)
    {
        var dev = DeviceRows.Get("cuda");
        var ps = new PhaseShuffle(2, perExample, new RandomStream(12));
        var x = Tensor.Randn([16, 3, 20], new RandomStream(13), device: dev).RequireGrad();
        var gy = Tensor.Randn([16, 3, 20], new RandomStream(14), device: dev);
        Tensor y;
        do y = ps.Forward(x);
        while (ps.LastShifts.All(k => k == 0));  // an identity pass records nothing; draw again
        var before = Devices.Counters(dev);
        y = ps.Forward(x);
        var mid = Devices.Counters(dev);
        var gx = Engine.Grad([y], [x], [gy])[0]!;
        var after = Devices.Counters(dev);
        if (ps.LastShifts.Any(k => k != 0))
        {
            Assert.Equal(1, (mid - before).Launches);
            Assert.Equal(1, (after - mid).Launches);
        }
        Assert.Equal(0, (after - before).HostSyncs);
        Assert.Equal(0, (after - before).BytesToDevice);
        Assert.Equal(x.Shape, gx.Shape);
    }
}
