using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Row-major batched GEMM through (stand-in or real) cuBLAS against the reference: every transpose combination,
/// odd shapes, a shared (stride 0) operand, offsets and β ≠ 0.</summary>
public class CudaGemmTests
{
    public static TheoryData<bool, bool, DType> Cases()
    {
        var d = new TheoryData<bool, bool, DType>();
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var t in new[] { DType.Float32, DType.Float64 })
                    d.Add(ta, tb, t);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(bool ta, bool tb, DType t)
    {
        var be = CudaTestEnvironment.Get();
        foreach (var (m, n, k, batch, shareA) in new[] { (1, 1, 1, 1, false), (31, 17, 33, 1, false), (5, 65, 7, 3, true), (64, 3, 129, 2, false) })
        {
            long sa = shareA ? 0 : (long)m * k, sb = (long)k * n, sc = (long)m * n;
            var g = new GemmArgs(ta, tb, m, n, k, Alpha: 0.5, Beta: 0.25, Batch: batch, StrideA: sa, StrideB: sb, StrideC: sc,
                OffsetA: 2, OffsetB: 1, OffsetC: 3);
            var a = Rand.AsFloat(Rand.Normal((int)(2 + sa * (batch - 1) + m * k), m + k));
            var b = Rand.AsFloat(Rand.Normal((int)(1 + sb * batch), n + k));
            var c = Rand.AsFloat(Rand.Normal((int)(3 + sc * batch), m + n));
            var want = (double[])c.Clone();
            RefKernels.Gemm(g, a, b, want);
            using var ab = TestBackends.Upload(be, t, a);
            using var bb = TestBackends.Upload(be, t, b);
            using var cb = TestBackends.Upload(be, t, c);
            be.Gemm(g, ab, bb, cb);
            var (atol, rtol) = t == DType.Float32 ? (1e-4, 1e-4) : (1e-12, 1e-12);
            Compare.AssertClose(want, TestBackends.Download(be, cb), atol, rtol, $"gemm ta={ta} tb={tb} {m}x{n}x{k} batch {batch} {t}");
        }
    }
}
