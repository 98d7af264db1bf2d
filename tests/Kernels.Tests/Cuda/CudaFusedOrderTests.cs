using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The fused CUDA kernels in reversed and shuffled thread order on the simulator (a missing barrier in the
/// per-example norm's block reduction, or a chunk handed to the wrong block, shows as wrong results).</summary>
public class CudaFusedOrderTests
{
    public static TheoryData<string> OrderRows => new() { "reverse", "shuffle" };

    [Theory, MemberData(nameof(OrderRows))]
    public void FusedKernelsInOtherThreadOrders(string order)
    {
        var be = CudaTestEnvironment.Get();
        Assert.SkipUnless(be.IsSimulator, "thread order can be changed on the simulator only");
        CudaTestEnvironment.SetOrder(be, CudaTestEnvironment.ParseOrder(order));
        try
        {
            foreach (var (r, n) in new[] { (3, 1025), (1, 40000), (33, 31) })
            {
                var x = Rand.AsFloat(Rand.Normal(r * n, r * n));
                var want = new double[r];
                RefKernels.PerExampleNorm(x, want, r, n, 1e-12);
                using var xb = TestBackends.Upload(be, DType.Float32, x);
                using var yb = be.Allocate(DType.Float32, r);
                be.PerExampleNorm(xb, yb, r, n, 1e-12);
                Compare.AssertClose(want, TestBackends.Download(be, yb), 1e-6, 2e-6, $"per_example_norm [{r}, {n}] {order}");
            }
            int[] sizes = [4097, 1, 2048, 33];
            var host = sizes.Select(n => new[] { Rand.AsFloat(Rand.Normal(n, n)), Rand.AsFloat(Rand.Normal(n, n + 1, 0.3)), new double[n], new double[n] }).ToArray();
            var dev = host.Select(h => h.Select(a => TestBackends.Upload(be, DType.Float32, a)).ToArray()).ToArray();
            var args = AdamArgs.For(1e-2, 0.5, 0.9, 1e-8, 0.01, 1);
            be.AdamStepMulti(sizes.Select((n, k) => new AdamGroup(dev[k][0], dev[k][1], dev[k][2], dev[k][3], null, n)).ToList(), args);
            RefKernels.AdamStepMulti(sizes.Select((n, k) => new RefKernels.AdamRefGroup(host[k][0], host[k][1], host[k][2], host[k][3], null, n)).ToList(), args);
            for (int k = 0; k < sizes.Length; k++)
            {
                Compare.AssertClose(host[k][0], TestBackends.Download(be, dev[k][0]), 1e-6, 2e-5, $"adam_step_multi tensor {k} {order}");
                foreach (var b in dev[k]) b.Dispose();
            }
        }
        finally
        {
            CudaTestEnvironment.SetOrder(be, CudaTestEnvironment.Forward);
        }
    }
}
