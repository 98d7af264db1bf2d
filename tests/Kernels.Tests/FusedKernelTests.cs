using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

/// <summary>The fused bias + leaky ReLU and per-example norm kernels against their scalar twins, on odd shapes.</summary>
public class FusedKernelTests
{
    public static TheoryData<string, DType> Rows() => BackendsAndDTypes();

    private static readonly (int Outer, int Channels, int Inner)[] BiasShapes =
        [(1, 1, 1), (2, 3, 1), (3, 5, 7), (2, 4, 33), (1, 7, 257), (4, 16, 64), (5, 3, 1025), (2, 1, 65537)];

    [Theory, MemberData(nameof(Rows))]
    public void BiasLeakyReluMatchesReference(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var (o, c, i) in BiasShapes)
        {
            int n = o * c * i;
            var x = For(dt, Rand.Normal(n, n + c));
            var b = For(dt, Rand.Normal(c, c, 0.5));
            var want = new double[n];
            RefKernels.BiasLeakyRelu(x, b, want, o, c, i, 0.2);
            using var xb = Up(be, dt, x);
            using var bb = Up(be, dt, b);
            using var yb = be.Allocate(dt, n);
            be.BiasLeakyRelu(xb, bb, yb, o, c, i, 0.2);
            Compare.AssertClose(want, Down(be, yb), Rtol(dt, 1e-6, 1e-15), Rtol(dt, 1e-6, 1e-15), $"bias_leaky_relu [{o}, {c}, {i}]");
            be.BiasLeakyRelu(xb, bb, xb, o, c, i, 0.2);  // in place
            Compare.AssertClose(want, Down(be, xb), Rtol(dt, 1e-6, 1e-15), Rtol(dt, 1e-6, 1e-15), $"bias_leaky_relu in place [{o}, {c}, {i}]");
        }
    }

    /// <summary>Fused = AddScalar-free composite: the per-channel bias add by Binary(Add) with a broadcast bias, then
    /// Unary(LeakyRelu), bitwise (both compute z = x + b then z &gt; 0 ? z : α·z in the dtype).</summary>
    [Theory, MemberData(nameof(Rows))]
    public void BiasLeakyReluEqualsComposite(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        var (o, c, i) = (3, 5, 77);
        int n = o * c * i;
        using var xb = Up(be, dt, Rand.Normal(n, 3));
        using var bb = Up(be, dt, Rand.Normal(c, 4));
        using var z = be.Allocate(dt, n);
        int[] shape = [o, c, i];
        be.Binary(BinaryOp.Add, new StridedOperand(xb, 0, [c * i, i, 1]), new StridedOperand(bb, 0, [0, 1, 0]), z, shape);
        be.Unary(UnaryOp.LeakyRelu, z, z, n, 0.2);
        using var y = be.Allocate(dt, n);
        be.BiasLeakyRelu(xb, bb, y, o, c, i, 0.2);
        Assert.Equal(Down(be, z), Down(be, y));
    }

    private static readonly (int Rows, int N)[] NormShapes = [(1, 1), (3, 0), (2, 31), (5, 257), (16, 1025), (1, 40000), (7, 4097), (64, 3)];

    [Theory, MemberData(nameof(Rows))]
    public void PerExampleNormMatchesReference(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var (r, n) in NormShapes)
        {
            var x = For(dt, Rand.Normal(r * n, r + n));
            var want = new double[r];
            RefKernels.PerExampleNorm(x, want, r, n, 1e-12);
            using var xb = Up(be, dt, x);
            using var yb = be.Allocate(dt, r);
            be.PerExampleNorm(xb, yb, r, n, 1e-12);
            Compare.AssertClose(want, Down(be, yb), 1e-12, Rtol(dt, 1e-6, 1e-13), $"per_example_norm [{r}, {n}]");
        }
    }

    /// <summary>The fused norm equals Reduce(SumSquares) → AddScalar(ε) → Sqrt bitwise: the gradient penalty's value does
    /// not change when it switches to the fused op.</summary>
    [Theory, MemberData(nameof(Rows))]
    public void PerExampleNormEqualsComposite(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var (r, n) in NormShapes)
        {
            using var xb = Up(be, dt, Rand.Normal(r * n, 9 + n));
            using var s = be.Allocate(dt, r);
            be.Reduce(ReduceOp.SumSquares, xb, s, r, n, 1);
            be.Unary(UnaryOp.AddScalar, s, s, r, 1e-12);
            be.Unary(UnaryOp.Sqrt, s, s, r);
            using var y = be.Allocate(dt, r);
            be.PerExampleNorm(xb, y, r, n, 1e-12);
            Assert.Equal(Down(be, s), Down(be, y));
        }
    }
}

/// <summary>The fused CPU kernels give the same bits for one and two threads.</summary>
[Collection(SerialCollection.Name)]
public class FusedDeterminismTests
{
    private static double[][] RunAll(int threads)
    {
        int saved = Cpu.CpuParallel.MaxThreads;
        try
        {
            Cpu.CpuParallel.MaxThreads = threads;
            var be = Cpu.CpuBackend.Instance;
            var outs = new List<double[]>();
            using var x = Up(be, DType.Float32, Rand.Normal(16 * 32 * 1025, 1));
            using var b = Up(be, DType.Float32, Rand.Normal(32, 2));
            using var y = be.Allocate(DType.Float32, x.Length);
            be.BiasLeakyRelu(x, b, y, 16, 32, 1025, 0.2);
            outs.Add(Down(be, y));
            using var n = be.Allocate(DType.Float32, 16);
            be.PerExampleNorm(x, n, 16, 32 * 1025, 1e-12);
            outs.Add(Down(be, n));
            using var n1 = be.Allocate(DType.Float32, 1);
            be.PerExampleNorm(x, n1, 1, x.Length, 1e-12);
            outs.Add(Down(be, n1));
            var bufs = new[] { 70000, 5, 40000 }.Select(len => Enumerable.Range(0, 4).Select(j => Up(be, DType.Float32, j == 3 ? Rand.Uniform(len, len, 0, 0.01) : Rand.Normal(len, len + j, 0.1))).ToArray()).ToArray();
            be.AdamStepMulti(bufs.Select(q => new AdamGroup(q[0], q[1], q[2], q[3], null, q[0].Length)).ToList(), AdamArgs.For(1e-3, 0.9, 0.999, 1e-8, 0.1, 3));
            foreach (var q in bufs)
            {
                outs.Add(Down(be, q[0]));
                foreach (var buf in q) buf.Dispose();
            }
            return outs.ToArray();
        }
        finally
        {
            Cpu.CpuParallel.MaxThreads = saved;
        }
    }

    [Fact]
    public void OneAndTwoThreadsAgreeBitwise()
    {
        var a = RunAll(1);
        var b = RunAll(2);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
    }
}
