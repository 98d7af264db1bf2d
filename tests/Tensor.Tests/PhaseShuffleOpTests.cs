using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>Tensor.PhaseShuffle (one kernel each way) against the slices + cat composite that WaveGAN's layer used to
/// build, bit for bit in values, gradients and WGAN-GP second-order gradients, and the penalty of a critic with a phase
/// shuffle inside against central differences.</summary>
public class PhaseShuffleOpTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    /// <summary>The former composite: per example, y = cat of reflected single-sample slices and the shifted body.</summary>
    private static Tensor Composite(Tensor x, int[] shifts)
    {
        var parts = new List<Tensor>();
        for (int b = 0; b < shifts.Length; b++)
        {
            var xb = x.Slice(0, b, 1);
            int k = shifts[b], len = x.Shape[2];
            if (k == 0)
            {
                parts.Add(xb);
                continue;
            }
            var p = new List<Tensor>();
            if (k > 0)
            {
                for (int i = k; i >= 1; i--) p.Add(xb.Slice(2, i, 1));
                p.Add(xb.Slice(2, 0, len - k));
            }
            else
            {
                int m = -k;
                p.Add(xb.Slice(2, m, len - m));
                for (int i = len - 2; i >= len - 1 - m; i--) p.Add(xb.Slice(2, i, 1));
            }
            parts.Add(Tensor.Cat(p, 2));
        }
        return Tensor.Cat(parts, 0);
    }

    /// <summary>D = conv1d(k25, s4, p11) → leaky_relu(0.2) → phase shuffle → conv1d(k9, s2, p4) → flatten → linear.
    /// p = [w1 [4,1,25], b1 [4], w2 [4,4,9], b2 [4], wl [32,1]]; x [2, 1, 64] → [2, 1].</summary>
    private static Tensor Critic(Tensor x, Tensor[] p, Func<Tensor, Tensor> shuffle)
    {
        var h = shuffle(Tensor.Conv1d(x, p[0], p[1], 4, 11).LeakyRelu(0.2)); // [2, 4, 16]
        h = Tensor.Conv1d(h, p[2], p[3], 2, 4);                               // [2, 4, 8]
        return h.Flatten(1).MatMul(p[4]);
    }

    private static GradInput[] CriticParams(Inputs r) =>
        [r.U([4, 1, 25], -0.3, 0.3), r.U([4], -0.1, 0.1), r.U([4, 4, 9], -0.3, 0.3), r.U([4], -0.1, 0.1), r.U([32, 1], -0.5, 0.5)];

    private static Tensor Penalty(Tensor x, Tensor[] p, Func<Tensor, Tensor> shuffle)
    {
        var g = Engine.Grad(Critic(x, p, shuffle).Sum(), x, createGraph: true)!;
        return (g.SumSquares([1, 2]).Sqrt() - 1.0).Square().Mean();
    }

    private static void AssertSameBits(double[] a, double[] b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(a[i]) == BitConverter.DoubleToInt64Bits(b[i]), $"{what}: [{i}] {a[i]:R} vs {b[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ValuesAndGradientsMatchTheSliceAndCatComposite(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        foreach (var (dt, shifts, len) in new[] { (DType.Float32, new[] { 2, -2, 0, 1 }, 16), (DType.Float64, new[] { -1, 3, -4, 4 }, 5), (DType.Float32, new[] { 1, 1, 1, 1 }, 9) })
        {
            var x = Tensor.Randn([4, 3, len], new RandomStream(1), dtype: dt, device: dev).RequireGrad();
            var w = Tensor.Randn([4, 3, len], new RandomStream(2), dtype: dt, device: dev);
            var y1 = Tensor.PhaseShuffle(x, shifts);
            var y2 = Composite(x, shifts);
            AssertSameBits(y2.ToDoubleArray(), y1.ToDoubleArray(), $"{dt} forward");
            var g1 = Engine.Grad((y1 * w).Sum(), x)!;
            var g2 = Engine.Grad((y2 * w).Sum(), x)!;
            AssertSameBits(g2.ToDoubleArray(), g1.ToDoubleArray(), $"{dt} gradient");
        }
    }

    /// <summary>WGAN-GP on a critic with a per-example phase shuffle: the penalty and its parameter gradients (second
    /// order through the shuffle's adjoint) equal the composite's bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyMatchesTheCompositeBitwise(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var r = new Inputs(21);
        var xIn = r.U([2, 1, 64]);
        var ps = CriticParams(r);
        int[] shifts = [2, -1];
        double[][] Run(Func<Tensor, Tensor> shuffle)
        {
            var p = ps.Select(i => Tensor.FromArray(i.Data, i.Shape, device: dev).RequireGrad()).ToArray();
            var x = Tensor.FromArray(xIn.Data, xIn.Shape, device: dev).RequireGrad();
            var gp = Penalty(x, p, shuffle);
            var gs = Engine.Grad([gp], p);
            return [gp.ToDoubleArray(), .. gs.Select(g => g?.ToDoubleArray() ?? [])];  // null: the penalty does not depend on b2
        }
        var a = Run(h => Tensor.PhaseShuffle(h, shifts));
        var b = Run(h => Composite(h, shifts));
        for (int i = 0; i < a.Length; i++) AssertSameBits(b[i], a[i], i == 0 ? "penalty" : $"d penalty / d p{i - 1}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyThroughPhaseShuffleMatchesFiniteDifferences(string device)
    {
        var dev = DeviceRows.Get(device);
        var r = new Inputs(22);
        var x = r.U([2, 1, 64]);
        int[] shifts = [-2, 1];
        GradCheck.Check("WGAN-GP critic with phase shuffle", p =>
        {
            var xt = Tensor.FromArray(x.Data, x.Shape, device: dev).RequireGrad();
            return Penalty(xt, p, h => Tensor.PhaseShuffle(h, shifts));
        }, CriticParams(r), maxCoords: 60, device: dev);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsBadShiftsAndShapes(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2, 1, 3], device: dev);
        Assert.Throws<TensorShapeException>(() => Tensor.PhaseShuffle(x, [3, 0]));
        Assert.Throws<TensorShapeException>(() => Tensor.PhaseShuffleBwd(x, [0, -3]));
        Assert.Throws<TensorShapeException>(() => Tensor.PhaseShuffle(x, [1]));
        Assert.Throws<TensorShapeException>(() => Tensor.PhaseShuffle(Tensor.Zeros([2, 3], device: dev), [0, 0]));
    }
}
