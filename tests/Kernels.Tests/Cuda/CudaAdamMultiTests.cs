using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>AdamStepMulti on CUDA: one launch per call, and the pointer table is uploaded once per parameter set, then
/// reused with no upload and no allocation.</summary>
[Collection(SerialCollection.Name)]
public class CudaAdamMultiTests
{
    [Fact]
    public void OneLaunchAndTheTableIsUploadedOnce()
    {
        var be = CudaTestEnvironment.Get();
        int[] sizes = [5, 1, 3001, 17 + Random.Shared.Next(50), 2048];
        var bufs = sizes.Select(n => Enumerable.Range(0, 5).Select(j => Up(be, DType.Float32, Rand.Normal(n, 10 * n + j, 0.1))).ToArray()).ToArray();
        try
        {
            var groups = sizes.Select((n, k) => new AdamGroup(bufs[k][0], bufs[k][1], bufs[k][2], bufs[k][3], bufs[k][4], n)).ToList();
            var before = be.Counters;
            be.AdamStepMulti(groups, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, 1));
            var first = be.Counters - before;
            Assert.Equal(1, first.Launches);
            long tableBytes = 8L * (6 * sizes.Length + sizes.Sum(n => (n + 2047) / 2048));
            Assert.Equal(tableBytes, first.BytesToDevice);

            var mid = be.Counters;
            for (int step = 2; step <= 4; step++) be.AdamStepMulti(groups, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, step));
            var again = be.Counters - mid;
            Assert.Equal(3, again.Launches);
            Assert.Equal(0, again.BytesToDevice);
            Assert.Equal(0, again.DriverAllocations);
            Assert.Equal(0, again.HostSyncs);

            // another parameter set (a second optimizer) gets its own table; alternating costs no further upload
            var other = groups.Take(2).ToList();
            be.AdamStepMulti(other, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, 1));
            var alt = be.Counters;
            be.AdamStepMulti(groups, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, 5));
            be.AdamStepMulti(other, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, 2));
            var d = be.Counters - alt;
            Assert.Equal(2, d.Launches);
            Assert.Equal(0, d.BytesToDevice);

            // fresh gradient buffers: only their pointers go up again, nothing is allocated
            var fresh = sizes.Select((n, k) => Up(be, DType.Float32, Rand.Normal(n, 99 + k, 0.1))).ToArray();
            try
            {
                var regrouped = groups.Select((g, k) => g with { Grad = fresh[k] }).ToList();
                var pre = be.Counters;
                be.AdamStepMulti(regrouped, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, 5));
                be.AdamStepMulti(regrouped, AdamArgs.For(1e-3, 0.5, 0.9, 1e-8, 0, 6));
                var r = be.Counters - pre;
                Assert.Equal(2, r.Launches);
                Assert.Equal(8L * sizes.Length, r.BytesToDevice);
                Assert.Equal(0, r.DriverAllocations);
            }
            finally
            {
                foreach (var f in fresh) f.Dispose();
            }
        }
        finally
        {
            foreach (var g in bufs)
                foreach (var b in g) b.Dispose();
        }
    }
}
