using GanAudio.Kernels;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>Fixture loading and tolerance comparison shared by the Nn tests.</summary>
internal static class TestSupport
{
    public static string FixturePath(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    /// <summary>Every tensor of a fixture file, on <paramref name="device"/> (the CPU when null; caller disposes them).</summary>
    public static Dictionary<string, Tensor> LoadFixture(string file, Device? device = null) => Safetensors.Load(FixturePath(file), device).Tensors;

    public static Dictionary<string, Tensor> WithPrefix(Dictionary<string, Tensor> all, string prefix, params string[] names) =>
        names.ToDictionary(n => n, n => all[prefix + n]);

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise and returns the largest relative error
    /// over elements that are not near zero (|e| ≥ atol/rtol). On failure the message lists the first mismatches.</summary>
    public static double AssertClose(string what, Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, ITestOutputHelper? log = null)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        return AssertClose(what, expected.ToDoubleArray(), actual.ToDoubleArray(), rtol, atol, log);
    }

    public static double AssertClose(string what, double[] e, double[] a, double rtol = 1e-5, double atol = 1e-6, ITestOutputHelper? log = null)
    {
        Assert.Equal(e.Length, a.Length);
        double maxRel = 0, maxAbs = 0;
        int worst = -1;
        var bad = new List<string>();
        for (int i = 0; i < e.Length; i++)
        {
            double d = Math.Abs(a[i] - e[i]);
            if (double.IsNaN(a[i]) || d > atol + rtol * Math.Abs(e[i]))
                if (bad.Count < 8) bad.Add($"[{i}] expected {e[i]:R} got {a[i]:R}");
            if (d > maxAbs) maxAbs = d;
            if (Math.Abs(e[i]) >= atol / rtol && d / Math.Abs(e[i]) > maxRel)
            {
                maxRel = d / Math.Abs(e[i]);
                worst = i;
            }
        }
        log?.WriteLine($"{what}: max rel err {maxRel:E2} (at {worst}), max abs err {maxAbs:E2}, {e.Length} values");
        Assert.True(bad.Count == 0,
            $"{what}: {bad.Count}+ mismatches beyond rtol {rtol} / atol {atol}; max abs {maxAbs:E3}, max rel {maxRel:E3}: {string.Join("; ", bad)}");
        return maxRel;
    }

    public static Tensor Seeded(int[] shape, ulong seed, DType dtype = DType.Float64, double std = 1, Device? device = null) =>
        Tensor.Randn(shape, new RandomStream(seed), 0, std, dtype, device);
}

/// <summary>Central-difference gradient checks in float64: compares the autograd gradient of a scalar function of some
/// leaf tensors with (f(x + h) − f(x − h)) / 2h, element by element (a seeded sample of elements for big tensors).</summary>
internal static class GradCheck
{
    public const double H = 1e-6;

    /// <summary>Checks ∂f/∂t for every t in <paramref name="wrt"/>. <paramref name="f"/> must rebuild the graph from the
    /// current values of the leaves each time it is called and be deterministic (reset any generator inside).</summary>
    public static void Check(string what, Func<Tensor> f, IReadOnlyList<(string Name, Tensor Leaf)> wrt, double rtol = 1e-5, double atol = 1e-7,
        int maxPerTensor = 48, ITestOutputHelper? log = null, bool allowNoGradient = false)
    {
        foreach (var (_, t) in wrt)
        {
            Assert.Equal(DType.Float64, t.DType);
            t.Grad?.Dispose();
            t.Grad = null;
        }
        using (TensorScope.Begin())
        {
            var loss = f();
            Assert.Equal(1, loss.Numel);
            loss.Backward();
        }
        var rnd = new Random(12345);
        foreach (var (name, t) in wrt)
        {
            // a leaf the function does not depend on gets no gradient: then the numerical one must be zero
            Assert.True(allowNoGradient || t.Grad is not null, $"{what}: no gradient reached {name}");
            var analytic = t.Grad?.ToDoubleArray() ?? new double[t.Numel];
            var values = t.ToDoubleArray();
            var idx = Enumerable.Range(0, values.Length).ToArray();
            if (idx.Length > maxPerTensor) idx = idx.OrderBy(_ => rnd.Next()).Take(maxPerTensor).OrderBy(i => i).ToArray();
            var num = new double[idx.Length];
            var ana = new double[idx.Length];
            for (int j = 0; j < idx.Length; j++)
            {
                int i = idx[j];
                double orig = values[i];
                values[i] = orig + H;
                double fp = Eval(f, t, values);
                values[i] = orig - H;
                double fm = Eval(f, t, values);
                values[i] = orig;
                num[j] = (fp - fm) / (2 * H);
                ana[j] = analytic[i];
            }
            Set(t, values);
            TestSupport.AssertClose($"{what} d/d{name}", num, ana, rtol, atol, log);
            t.Grad?.Dispose();
            t.Grad = null;
        }
    }

    private static double Eval(Func<Tensor> f, Tensor t, double[] values)
    {
        Set(t, values);
        // recording stays on: functions such as the gradient penalty differentiate inside
        using var scope = TensorScope.Begin();
        return f().Item();
    }

    public static void Set(Tensor t, double[] values)
    {
        using var src = Tensor.FromArray(values, t.Shape, t.DType, t.Device);
        t.CopyFrom(src);
    }

    /// <summary>Σ y·gy with a fixed seeded gy shaped like y, so every output element has its own weight.</summary>
    public static Tensor Weighted(Tensor y, ulong seed = 99)
    {
        var gy = Tensor.Randn(y.Shape, new RandomStream(seed), 0, 1, y.DType, y.Device);
        return (y * gy).Sum();
    }
}
