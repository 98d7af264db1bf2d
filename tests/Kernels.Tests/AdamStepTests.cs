using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

public class AdamStepTests
{
    public static TheoryData<string, DType, bool> Variants()
    {
        var t = new TheoryData<string, DType, bool>();
        foreach (var be in new[] { "cpu", "cuda" })
            foreach (var dt in new[] { DType.Float32, DType.Float64 })
                foreach (bool ams in new[] { false, true })
                    t.Add(be, dt, ams);
        return t;
    }

    /// <summary>Three consecutive fused Adam steps (weight decay on, every length 0..257 and odd sizes) against the
    /// scalar reference: parameters and both moment buffers (and vmax with AMSGrad).</summary>
    [Theory, MemberData(nameof(Variants))]
    public void MatchesReference(string backend, DType dt, bool amsgrad)
    {
        var be = TestBackends.Get(backend);
        foreach (int n in Rand.Lengths())
        {
            var p = For(dt, Rand.Normal(n, n + 1));
            var m = new double[n];
            var v = new double[n];
            var x = new double[n];
            using var pb = Up(be, dt, p);
            using var mb = Up(be, dt, m);
            using var vb = Up(be, dt, v);
            using var xb = Up(be, dt, x);
            for (int step = 1; step <= 3; step++)
            {
                var g = For(dt, Rand.Normal(n, 1000 * step + n, 0.5));
                using var gb = Up(be, dt, g);
                var a = AdamArgs.For(1e-2, 0.5, 0.9, 1e-8, 0.01, step);
                be.AdamStep(pb, gb, mb, vb, amsgrad ? xb : null, n, a);
                RefKernels.AdamStep(p, g, m, v, amsgrad ? x : null, n, a);
            }
            double rtol = dt == DType.Float32 ? 2e-5 : 1e-12, atol = dt == DType.Float32 ? 1e-6 : 1e-14;
            Compare.AssertClose(p, Down(be, pb), atol, rtol, $"adam param n={n}");
            Compare.AssertClose(m, Down(be, mb), atol, rtol, $"adam m n={n}");
            Compare.AssertClose(v, Down(be, vb), atol, rtol, $"adam v n={n}");
            if (amsgrad) Compare.AssertClose(x, Down(be, xb), atol, rtol, $"adam vmax n={n}");
        }
    }
}
