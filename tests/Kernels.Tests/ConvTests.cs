using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

public class ConvTests
{
    /// <summary>WaveGAN layers (kernel 25, stride 4, padding 11) at small channel counts and full lengths; the same
    /// geometries serve conv-transposes with output padding 1 (LIn = (LOut − 1)·4 − 22 + 25 + 1 = 4·LOut).</summary>
    public static readonly Conv1dGeometry[] WaveGan =
    [
        new(2, 1, 3, 16384, 4096, 25, 4, 11),
        new(2, 3, 5, 4096, 1024, 25, 4, 11),
        new(2, 5, 13, 1024, 256, 25, 4, 11),
        new(3, 13, 14, 256, 64, 25, 4, 11),
        new(3, 14, 26, 64, 16, 25, 4, 11),
        new(2, 2, 1, 4096, 1024, 25, 4, 11),
    ];

    /// <summary>Odd geometries: stride 1, other kernels, stride above the kernel, LIn longer than needed, tiny outputs.</summary>
    public static readonly Conv1dGeometry[] Generic =
    [
        new(2, 3, 4, 37, 37, 3, 1, 1),
        new(1, 5, 7, 40, 18, 5, 2, 0),
        new(3, 4, 2, 50, 17, 4, 3, 2),
        new(2, 3, 5, 34, 7, 3, 5, 0),
        new(2, 6, 3, 29, 29, 1, 1, 0),
        new(2, 2, 3, 30, 5, 7, 4, 3),
        new(1, 2, 2, 5, 1, 9, 2, 4),
        new(2, 17, 40, 70, 70, 3, 1, 1),
        new(1, 1, 1, 9, 3, 2, 3, 0),
        new(2, 3, 4, 12, 0, 3, 1, 0),
    ];

    public static TheoryData<string, DType, int> Geometries() => With(Enumerable.Range(0, WaveGan.Length + Generic.Length));

    internal static Conv1dGeometry Geometry(int i) => i < WaveGan.Length ? WaveGan[i] : Generic[i - WaveGan.Length];

    private static double Atol(DType dt, int terms) => (dt == DType.Float32 ? 1e-5 : 1e-12) * Math.Sqrt(Math.Max(1, terms));

    internal static double[] CheckForward(IBackend be, DType dt, Conv1dGeometry g, bool bias, int seed = 1)
    {
        var x = For(dt, Rand.Normal(g.Batch * g.CIn * g.LIn, seed));
        var w = For(dt, Rand.Normal(g.COut * g.CIn * g.Kernel, seed + 1, 0.3));
        var bs = For(dt, Rand.Normal(g.COut, seed + 2));
        using var xb = Up(be, dt, x);
        using var wb = Up(be, dt, w);
        using var bb = Up(be, dt, bs);
        using var yb = Up(be, dt, Rand.Normal(g.Batch * g.COut * g.LOut, seed + 3)); // garbage the kernel must overwrite
        be.Conv1dForward(g, xb, wb, bias ? bb : null, yb);
        var expect = new double[g.Batch * g.COut * g.LOut];
        RefKernels.Conv1dForward(g, x, w, bias ? bs : null, expect);
        var got = Down(be, yb);
        Compare.AssertClose(expect, got, Atol(dt, g.CIn * g.Kernel), dt == DType.Float32 ? 1e-4 : 1e-10, $"conv1d fwd {dt} {g} bias={bias}");
        return got;
    }

    internal static double[] CheckBackwardData(IBackend be, DType dt, Conv1dGeometry g, int seed = 1)
    {
        var gy = For(dt, Rand.Normal(g.Batch * g.COut * g.LOut, seed));
        var w = For(dt, Rand.Normal(g.COut * g.CIn * g.Kernel, seed + 1, 0.3));
        using var gyb = Up(be, dt, gy);
        using var wb = Up(be, dt, w);
        using var gxb = Up(be, dt, Rand.Normal(g.Batch * g.CIn * g.LIn, seed + 3));
        be.Conv1dBackwardData(g, gyb, wb, gxb);
        var expect = new double[g.Batch * g.CIn * g.LIn];
        RefKernels.Conv1dBackwardData(g, gy, w, expect);
        var got = Down(be, gxb);
        Compare.AssertClose(expect, got, Atol(dt, g.COut * g.Kernel), dt == DType.Float32 ? 1e-4 : 1e-10, $"conv1d bwd-data {dt} {g}");
        return got;
    }

    internal static double[] CheckBackwardWeight(IBackend be, DType dt, Conv1dGeometry g, int seed = 1)
    {
        var x = For(dt, Rand.Normal(g.Batch * g.CIn * g.LIn, seed));
        var gy = For(dt, Rand.Normal(g.Batch * g.COut * g.LOut, seed + 1));
        using var xb = Up(be, dt, x);
        using var gyb = Up(be, dt, gy);
        using var gwb = Up(be, dt, Rand.Normal(g.COut * g.CIn * g.Kernel, seed + 3));
        be.Conv1dBackwardWeight(g, xb, gyb, gwb);
        var expect = new double[g.COut * g.CIn * g.Kernel];
        RefKernels.Conv1dBackwardWeight(g, x, gy, expect);
        var got = Down(be, gwb);
        Compare.AssertClose(expect, got, Atol(dt, g.Batch * g.LOut), dt == DType.Float32 ? 1e-4 : 1e-10, $"conv1d bwd-weight {dt} {g}");
        return got;
    }

    [Theory, MemberData(nameof(Geometries))]
    public void ForwardMatchesReference(string backend, DType dt, int geometry)
    {
        var be = TestBackends.Get(backend);
        var g = Geometry(geometry);
        CheckForward(be, dt, g, bias: true);
        CheckForward(be, dt, g, bias: false);
    }

    [Theory, MemberData(nameof(Geometries))]
    public void BackwardDataMatchesReference(string backend, DType dt, int geometry)
    {
        var be = TestBackends.Get(backend);
        CheckBackwardData(be, dt, Geometry(geometry));
    }

    [Theory, MemberData(nameof(Geometries))]
    public void BackwardWeightMatchesReference(string backend, DType dt, int geometry)
    {
        var be = TestBackends.Get(backend);
        CheckBackwardWeight(be, dt, Geometry(geometry));
    }

    /// <summary>WaveGAN's discriminator layers at real channel counts (d = 8 and 32); the generator's transposed convs are the
    /// same geometries read backwards (conv-transpose = backward-data), so all three directions cover both networks.</summary>
    public static TheoryData<int, int> RealScale()
    {
        var t = new TheoryData<int, int>();
        foreach (int d in new[] { 8, 32 })
            for (int layer = 0; layer < 5; layer++) t.Add(d, layer);
        return t;
    }

    private static Conv1dGeometry RealGeometry(int d, int layer)
    {
        int cin = layer == 0 ? 1 : d << (layer - 1), cout = d << layer, lin = 16384 >> (2 * layer);
        return new Conv1dGeometry(d == 8 ? 2 : 1, cin, cout, lin, lin / 4, 25, 4, 11);
    }

    [Theory, MemberData(nameof(RealScale))]
    public void CpuMatchesReferenceAtWaveGanChannelCounts(int d, int layer)
    {
        var g = RealGeometry(d, layer);
        var be = GanAudio.Kernels.Cpu.CpuBackend.Instance;
        CheckForward(be, DType.Float32, g, bias: true, seed: 10 + layer);
        CheckBackwardData(be, DType.Float32, g, seed: 20 + layer);
        CheckBackwardWeight(be, DType.Float32, g, seed: 30 + layer);
    }

    /// <summary>Shapes that take the batched forward (outputs up to NR long, or NR-blocks mostly empty) and the direct
    /// forward reading w in place (im2col rows ≥ one K block): partial last row panels (COut not a multiple of 12, or
    /// below 12), several row tiles of the batched form (COut above 36), column tails (Batch·LOut not a multiple of NR),
    /// several K blocks, Batch 1.</summary>
    public static readonly Conv1dGeometry[] ShortOutputAndInPlace =
    [
        new(5, 37, 29, 64, 16, 25, 4, 11),
        new(3, 11, 13, 20, 5, 25, 4, 11),
        new(2, 300, 7, 9, 3, 3, 3, 0),
        new(1, 40, 30, 160, 40, 25, 4, 11),
        new(2, 30, 25, 480, 120, 25, 4, 11),
        new(3, 260, 12, 33, 33, 1, 1, 0),
        new(3, 20, 100, 64, 16, 25, 4, 11),
    ];

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ShortOutputAndInPlaceWeightShapesMatchReference(DType dt)
    {
        var be = GanAudio.Kernels.Cpu.CpuBackend.Instance;
        foreach (var g in ShortOutputAndInPlace)
        {
            CheckForward(be, dt, g, bias: true);
            CheckForward(be, dt, g, bias: false);
            CheckBackwardData(be, dt, g);
        }
    }

    [Theory, MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void EmptyBatchWritesZeroWeightGradient(string backend)
    {
        var be = TestBackends.Get(backend);
        var g = new Conv1dGeometry(0, 2, 3, 16, 4, 25, 4, 11);
        CheckBackwardWeight(be, DType.Float32, g);
    }
}

/// <summary>Conv tests that change the kernel thread count (run alone).</summary>
[Collection(SerialCollection.Name)]
public class ConvThreadCountTests
{
    /// <summary>The weight gradient's parallel unpack of the GEMM's (k, c) columns into [COut, CIn, K]: channel counts
    /// that are not multiples of its 16-channel blocks (37, 11, 300, 30, 20), enough rows to split over threads, and the
    /// same bits on one thread as on two.</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void WeightGradientUnpackMatchesReferenceAndThreadCount(DType dt)
    {
        var be = GanAudio.Kernels.Cpu.CpuBackend.Instance;
        int saved = GanAudio.Kernels.Cpu.CpuParallel.MaxThreads;
        try
        {
            foreach (var g in ConvTests.ShortOutputAndInPlace)
            {
                GanAudio.Kernels.Cpu.CpuParallel.MaxThreads = 2;
                var two = ConvTests.CheckBackwardWeight(be, dt, g, seed: 7);
                GanAudio.Kernels.Cpu.CpuParallel.MaxThreads = 1;
                var one = ConvTests.CheckBackwardWeight(be, dt, g, seed: 7);
                Assert.Equal(one, two);
            }
        }
        finally
        {
            GanAudio.Kernels.Cpu.CpuParallel.MaxThreads = saved;
        }
    }
}
