using System.Runtime.Intrinsics;
using GanAudio.Kernels.Cpu;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests;

/// <summary>The float32 exp, log, tanh, sigmoid, sin and cos of the CPU backend (<see cref="VectorMath"/>) against float64
/// Math: the error in units in the last place of the correctly rounded float32 result, over every 509th float32 bit
/// pattern in each op's range (about 8 million inputs, subnormals included) plus special values, which must come out
/// exactly (NaN, ±∞, ±0, overflow and underflow edges).</summary>
public class TranscendentalAccuracyTests(ITestOutputHelper output)
{
    /// <summary>Measured max errors: exp 0.95, log 0.78, tanh 1.24, sigmoid 2.26, sin / cos 1.53 (2.30 up to 65536) ulp (the sweep is deterministic, so
    /// these do not vary between runs); the bounds leave a little room and sit far below the 1e-5 relative tolerance
    /// of the elementwise tests (about 170 ulp).</summary>
    public static TheoryData<UnaryOp, double, double, double> Ops => new()
    {
        { UnaryOp.Exp, -104, 89, 1.5 },
        { UnaryOp.Log, 0, float.MaxValue, 1.5 },
        { UnaryOp.Tanh, -10, 10, 2 },
        { UnaryOp.Sigmoid, -90, 90, 2.5 },
        { UnaryOp.Sin, -VectorMath.TrigReductionLimit, VectorMath.TrigReductionLimit, 2.5 },
        { UnaryOp.Cos, -VectorMath.TrigReductionLimit, VectorMath.TrigReductionLimit, 2.5 },
        { UnaryOp.Sin, -100, 100, 2 },
        { UnaryOp.Cos, -100, 100, 2 },
        // past the vector reduction's range: the runtime's functions, lane by lane
        { UnaryOp.Sin, VectorMath.TrigReductionLimit, 1e30, 1 },
        { UnaryOp.Cos, -1e30, -VectorMath.TrigReductionLimit, 1 },
    };

    private static double Reference(UnaryOp op, double x) => op switch
    {
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Sin => Math.Sin(x),
        UnaryOp.Cos => Math.Cos(x),
        _ => 1 / (1 + Math.Exp(-x)),
    };

    /// <summary>|got − want| in units of the spacing of float32 at want (2^−149 in the subnormal range).</summary>
    internal static double Ulps(float got, double want)
    {
        if (double.IsNaN(want)) return float.IsNaN(got) ? 0 : double.PositiveInfinity;
        float w = (float)want;
        if (float.IsInfinity(w) || float.IsInfinity(got)) return got == w ? 0 : double.PositiveInfinity;
        float aw = Math.Abs(w);
        double spacing = aw < 1.17549435e-38f ? float.Epsilon : MathF.BitIncrement(aw) - aw;
        return Math.Abs(got - want) / spacing;
    }

    private static float[] Sweep(double lo, double hi)
    {
        var xs = new List<float>();
        for (ulong bits = 0; bits <= uint.MaxValue; bits += 509)
        {
            float x = BitConverter.UInt32BitsToSingle((uint)bits);
            if (x >= lo && x <= hi) xs.Add(x);
        }
        return xs.ToArray();
    }

    private static float[] Run(UnaryOp op, float[] x)
    {
        var be = CpuBackend.Instance;
        var xd = Array.ConvertAll(x, v => (double)v);
        using var xb = TestBackends.Upload(be, DType.Float32, xd);
        using var yb = be.Allocate(DType.Float32, x.Length);
        be.Unary(op, xb, yb, x.Length);
        return Array.ConvertAll(TestBackends.Download(be, yb), v => (float)v);
    }

    [Theory, MemberData(nameof(Ops))]
    public void WithinUlpsOfFloat64(UnaryOp op, double lo, double hi, double maxUlps)
    {
        var x = Sweep(lo, hi);
        var y = Run(op, x);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Ulps(y[i], Reference(op, x[i]));
            if (e > worst) (worst, at) = (e, x[i]);
        }
        output.WriteLine($"{op}: max {worst:F3} ulp at x = {at:R} over {x.Length} inputs in [{lo}, {hi}]");
        Assert.True(worst <= maxUlps, $"{op}: {worst:F3} ulp at x = {at:R} (bound {maxUlps})");
    }

    [Fact]
    public void SpecialValuesExact()
    {
        float nan = float.NaN, inf = float.PositiveInfinity, sub = 1e-40f;
        (UnaryOp Op, float X, float Want)[] cases =
        [
            (UnaryOp.Exp, 0f, 1f), (UnaryOp.Exp, -0f, 1f), (UnaryOp.Exp, nan, nan), (UnaryOp.Exp, inf, inf), (UnaryOp.Exp, -inf, 0f),
            (UnaryOp.Exp, 88.8f, inf), (UnaryOp.Exp, float.MaxValue, inf), (UnaryOp.Exp, -105f, 0f), (UnaryOp.Exp, float.MinValue, 0f),
            (UnaryOp.Exp, sub, 1f),
            (UnaryOp.Log, 1f, 0f), (UnaryOp.Log, 0f, -inf), (UnaryOp.Log, -0f, -inf), (UnaryOp.Log, inf, inf), (UnaryOp.Log, -1f, nan),
            (UnaryOp.Log, -inf, nan), (UnaryOp.Log, nan, nan),
            (UnaryOp.Tanh, 0f, 0f), (UnaryOp.Tanh, -0f, -0f), (UnaryOp.Tanh, inf, 1f), (UnaryOp.Tanh, -inf, -1f), (UnaryOp.Tanh, nan, nan),
            (UnaryOp.Tanh, 50f, 1f), (UnaryOp.Tanh, -50f, -1f), (UnaryOp.Tanh, sub, sub), (UnaryOp.Tanh, -sub, -sub),
            (UnaryOp.Sigmoid, 0f, 0.5f), (UnaryOp.Sigmoid, inf, 1f), (UnaryOp.Sigmoid, -inf, 0f), (UnaryOp.Sigmoid, nan, nan),
            (UnaryOp.Sigmoid, 100f, 1f), (UnaryOp.Sigmoid, -110f, 0f),
            (UnaryOp.Sin, 0f, 0f), (UnaryOp.Sin, -0f, -0f), (UnaryOp.Sin, nan, nan), (UnaryOp.Sin, inf, nan), (UnaryOp.Sin, -inf, nan),
            (UnaryOp.Sin, sub, sub), (UnaryOp.Sin, -sub, -sub),
            (UnaryOp.Cos, 0f, 1f), (UnaryOp.Cos, -0f, 1f), (UnaryOp.Cos, nan, nan), (UnaryOp.Cos, inf, nan), (UnaryOp.Cos, -inf, nan),
            (UnaryOp.Cos, sub, 1f),
        ];
        // edges with finite results: within the bound of the sweep
        (UnaryOp Op, float X)[] edges =
        [
            (UnaryOp.Exp, -100f), (UnaryOp.Exp, -87.5f), (UnaryOp.Exp, -103.9f), (UnaryOp.Exp, 88.72f), (UnaryOp.Exp, 1e-7f),
            (UnaryOp.Log, float.Epsilon), (UnaryOp.Log, sub), (UnaryOp.Log, 1.17549435e-38f), (UnaryOp.Log, float.MaxValue),
            (UnaryOp.Log, 1.0000001f), (UnaryOp.Log, 0.99999994f), (UnaryOp.Tanh, 0.625f), (UnaryOp.Tanh, 0.62499994f),
            (UnaryOp.Tanh, 8.9f), (UnaryOp.Sigmoid, -100f), (UnaryOp.Sigmoid, -88.8f), (UnaryOp.Sigmoid, 16.7f),
            // near multiples of π/2 (the reduction's cancellation) and at the edges of its range
            (UnaryOp.Sin, 3.14159274f), (UnaryOp.Sin, 6.28318548f), (UnaryOp.Cos, 1.57079637f), (UnaryOp.Cos, 4.71238899f),
            (UnaryOp.Sin, 0.785398185f), (UnaryOp.Cos, 0.785398185f), (UnaryOp.Sin, 65536f), (UnaryOp.Cos, -65536f),
            (UnaryOp.Sin, 65536.0078f), (UnaryOp.Sin, 51471.8516f), (UnaryOp.Cos, 51471.8516f),
        ];
        foreach (var (op, x) in edges)
        {
            float got = Run(op, [x])[0];
            Assert.True(Ulps(got, Reference(op, x)) <= 1.5, $"{op}({x:R}) = {got:R}, float64 {Reference(op, x):R}");
        }
        foreach (var group in cases.GroupBy(c => c.Op))
        {
            // each case both in a whole vector and as a tail element
            var xs = group.Select(c => c.X).ToArray();
            var padded = xs.Concat(Enumerable.Repeat(0.5f, 16 - xs.Length % 16)).Concat(xs).ToArray();
            var y = Run(group.Key, padded);
            int n = xs.Length, tail = padded.Length - n;
            for (int i = 0; i < n; i++)
            foreach (float got in new[] { y[i], y[tail + i] })
            {
                float want = group.ElementAt(i).Want;
                bool same = float.IsNaN(want) ? float.IsNaN(got) : BitConverter.SingleToInt32Bits(got) == BitConverter.SingleToInt32Bits(want);
                Assert.True(same, $"{group.Key}({xs[i]:R}) = {got:R}, want {want:R}");
            }
        }
    }

    /// <summary>A lane past sin/cos's vector reduction range (or NaN, ∞) next to ordinary lanes: every element comes out
    /// as it does alone (computed as a one-element tail), so neighbours never change a result.</summary>
    [Theory]
    [InlineData(UnaryOp.Sin)]
    [InlineData(UnaryOp.Cos)]
    public void FarTrigLanesDoNotChangeTheirNeighbours(UnaryOp op)
    {
        var x = new float[37];
        for (int i = 0; i < x.Length; i++) x[i] = 0.37f * i - 5f;
        x[3] = 1e6f;
        x[20] = float.NaN;
        x[21] = -7e4f;
        x[30] = float.PositiveInfinity;
        var together = Run(op, x);
        for (int i = 0; i < x.Length; i++)
        {
            float alone = Run(op, [x[i]])[0];
            Assert.True(BitConverter.SingleToInt32Bits(alone) == BitConverter.SingleToInt32Bits(together[i]) || (float.IsNaN(alone) && float.IsNaN(together[i])),
                $"{op}({x[i]:R}): {together[i]:R} among neighbours, {alone:R} alone");
        }
    }

    [Fact]
    public void Vector256AndVector512Agree()
    {
        var x = Sweep(-100, 100).Concat(Sweep(100, float.MaxValue)).ToArray();
        Func<Vector256<float>, Vector256<float>>[] f256 = [VectorMath.Exp, VectorMath.Log, VectorMath.Tanh, VectorMath.Sigmoid, VectorMath.Sin, VectorMath.Cos];
        Func<Vector512<float>, Vector512<float>>[] f512 = [VectorMath.Exp, VectorMath.Log, VectorMath.Tanh, VectorMath.Sigmoid, VectorMath.Sin, VectorMath.Cos];
        for (int f = 0; f < f256.Length; f++)
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            var v = Vector512.Create(x.AsSpan(i, 16));
            var a = f512[f](v);
            var b = Vector512.Create(f256[f](v.GetLower()), f256[f](v.GetUpper()));
            Assert.True(a.AsInt32() == b.AsInt32() || (a.AsInt32() ^ b.AsInt32()) == Vector512<int>.Zero, $"function {f} at {x[i]:R}..");
        }
    }
}
