using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

public class GemmTests
{
    public static TheoryData<string, DType, int> TransCases() => With(new[] { 0, 1, 2, 3 });

    /// <summary>Runs one GEMM on the backend and the reference; C starts with random values (beta ≠ 0 reads them).</summary>
    internal static double[] Check(IBackend be, DType dt, GemmArgs g, int extraA = 0, int extraB = 0, int extraC = 0, int seed = 1)
    {
        long la = g.OffsetA + Math.Max(0, (g.Batch - 1) * g.StrideA) + (long)g.M * g.K + extraA;
        long lb = g.OffsetB + Math.Max(0, (g.Batch - 1) * g.StrideB) + (long)g.K * g.N + extraB;
        long lc = g.OffsetC + Math.Max(0, (g.Batch - 1) * g.StrideC) + (long)g.M * g.N + extraC;
        var a = For(dt, Rand.Normal((int)la, seed));
        var b = For(dt, Rand.Normal((int)lb, seed + 1));
        var c = For(dt, Rand.Normal((int)lc, seed + 2));
        using var ab = Up(be, dt, a);
        using var bb = Up(be, dt, b);
        using var cb = Up(be, dt, c);
        be.Gemm(g, ab, bb, cb);
        var got = Down(be, cb);
        RefKernels.Gemm(g, a, b, c);
        double atol = (dt == DType.Float32 ? 1e-5 : 1e-12) * Math.Sqrt(Math.Max(1, g.K)) * Math.Max(1, Math.Abs(g.Alpha));
        Compare.AssertClose(c, got, atol, dt == DType.Float32 ? 1e-4 : 1e-10, $"gemm {dt} {g}");
        return got;
    }

    [Theory, MemberData(nameof(TransCases))]
    public void OddSizesAllTransposes(string backend, DType dt, int trans)
    {
        var be = TestBackends.Get(backend);
        bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
        int[] sizes = [1, 7, 31, 65, 257];
        int i = 0;
        foreach (int m in sizes)
        foreach (int n in sizes)
        {
            int k = sizes[(i++ * 3 + m) % sizes.Length];
            Check(be, dt, new GemmArgs(ta, tb, m, n, k), seed: i);
        }
        Check(be, dt, new GemmArgs(ta, tb, 13, 40, 0, Beta: 0.5), seed: 3); // K = 0: C = beta·C
    }

    /// <summary>Sizes where A packs by whole 4×4 transposes (K a multiple of 4, full row panels) next to ones with a
    /// K tail, a partial last panel, and more rows and columns than one cache tile.</summary>
    [Theory, MemberData(nameof(TransCases))]
    public void PackingBlocksAndTileSplits(string backend, DType dt, int trans)
    {
        var be = TestBackends.Get(backend);
        bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
        foreach (var (m, n, k) in new[] { (48, 64, 64), (48, 33, 68), (50, 64, 65), (300, 1100, 36), (145, 17, 8) })
            Check(be, dt, new GemmArgs(ta, tb, m, n, k, Alpha: 0.7, Beta: 0.0), seed: m + k);
    }

    [Theory, MemberData(nameof(TransCases))]
    public void AlphaBetaAndOffsets(string backend, DType dt, int trans)
    {
        var be = TestBackends.Get(backend);
        bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (0.7, 0.0), (1.0, 1.0), (-1.5, -0.3), (0.0, 2.0) })
            Check(be, dt, new GemmArgs(ta, tb, 31, 65, 257, alpha, beta, OffsetA: 3, OffsetB: 5, OffsetC: 7), 2, 2, 2);
    }

    [Theory, MemberData(nameof(TransCases))]
    public void BatchedWithStridesIncludingBroadcast(string backend, DType dt, int trans)
    {
        var be = TestBackends.Get(backend);
        bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
        int m = 19, n = 37, k = 23;
        // dense batches, padded batch strides, A or B shared (stride 0)
        Check(be, dt, new GemmArgs(ta, tb, m, n, k, Batch: 3, StrideA: m * k, StrideB: k * n, StrideC: m * n));
        Check(be, dt, new GemmArgs(ta, tb, m, n, k, 0.5, 1, Batch: 4, StrideA: m * k + 5, StrideB: k * n + 3, StrideC: m * n + 11, OffsetA: 2, OffsetB: 1, OffsetC: 4));
        Check(be, dt, new GemmArgs(ta, tb, m, n, k, Batch: 5, StrideA: 0, StrideB: k * n, StrideC: m * n));
        Check(be, dt, new GemmArgs(ta, tb, m, n, k, Batch: 5, StrideA: m * k, StrideB: 0, StrideC: m * n));
        Check(be, dt, new GemmArgs(ta, tb, 1, 1, 1, Batch: 64, StrideA: 1, StrideB: 1, StrideC: 1));
        Check(be, dt, new GemmArgs(ta, tb, m, n, k, Batch: 0, StrideA: m * k, StrideB: k * n, StrideC: m * n));
        Check(be, dt, new GemmArgs(ta, tb, m, n, k, 1, 1, Batch: 3, StrideA: m * k, StrideB: k * n, StrideC: 0)); // C accumulates over batches
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void LargeBlockedCases(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        // many K blocks and M tiles; many N tiles
        Check(be, dt, new GemmArgs(false, false, 1024, 96, 1024));
        Check(be, dt, new GemmArgs(true, true, 150, 1100, 300, 0.5, 0.25));
    }
}
