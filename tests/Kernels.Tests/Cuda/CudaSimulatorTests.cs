using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>What the simulator's thread orders are for: a kernel missing a barrier (tests/CudaSim/testkernels/sync_probe.cu)
/// passes in forward order and is caught in reversed and shuffled order; its fixed twin passes in every order.
/// Also the allocator's counters and reuse.</summary>
public class CudaSimulatorTests
{
    private static float[] RunProbe(CudaBackend be, string kernel, int order, float[] x, int block)
    {
        var root = CudaTestEnvironment.RepoRoot ?? throw Xunit.Sdk.SkipException.ForSkip("repository not found");
        var src = File.ReadAllText(Path.Combine(root, "tests", "CudaSim", "testkernels", "sync_probe.cu"));
        var f = be.TestKernel("sync_probe.cu", src, kernel);
        using var xb = be.Allocate(DType.Float32, x.Length);
        using var yb = be.Allocate(DType.Float32, x.Length);
        be.Upload(x, xb);
        CudaTestEnvironment.SetOrder(be, order);
        try
        {
            be.LaunchRaw(f, (uint)(x.Length / block), (uint)block, (uint)(block * 4),
                new KernelArgs().Ptr(((CudaBuffer)xb).Pointer).Ptr(((CudaBuffer)yb).Pointer));
        }
        finally
        {
            CudaTestEnvironment.SetOrder(be, -1);
        }
        var y = new float[x.Length];
        be.Download(yb, 0, y);
        return y;
    }

    private static (float[] X, double[] Want) Probe(int block, int blocks)
    {
        var x = Array.ConvertAll(Rand.Uniform(block * blocks, 11, 1, 2), v => (float)v);
        var want = new double[x.Length];
        for (int i = 0; i < x.Length; i++) want[i] = (double)x[i] + (i % block > 0 ? x[i - 1] : 0f);
        return (x, want);
    }

    [Theory]
    [InlineData(CudaTestEnvironment.Forward)]
    [InlineData(CudaTestEnvironment.Reverse)]
    [InlineData(CudaTestEnvironment.Shuffle)]
    public void SyncedKernelPassesInEveryOrder(int order)
    {
        var be = CudaTestEnvironment.GetSimulator();
        var (x, want) = Probe(256, 3);
        Compare.AssertClose(want, RunProbe(be, "neighbour_sum_synced_f32", order, x, 256), 1e-6, 1e-6, $"synced, order {order}");
    }

    [Fact]
    public void MissingSyncthreadsIsCaughtByShuffledOrder()
    {
        var be = CudaTestEnvironment.GetSimulator();
        var (x, want) = Probe(256, 3);
        // forward order hides the bug: every thread t−1 stored before thread t loads
        Compare.AssertClose(want, RunProbe(be, "neighbour_sum_unsynced_f32", CudaTestEnvironment.Forward, x, 256), 1e-6, 1e-6, "unsynced, forward");
        foreach (int order in new[] { CudaTestEnvironment.Shuffle, CudaTestEnvironment.Reverse })
        {
            var got = RunProbe(be, "neighbour_sum_unsynced_f32", order, x, 256);
            int wrong = 0;
            for (int i = 0; i < want.Length; i++) if (!(Math.Abs(got[i] - want[i]) <= 1e-5)) wrong++;
            Assert.True(wrong > 0, $"order {order}: the missing __syncthreads was not detected");
            var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.AssertClose(want, got, 1e-6, 1e-6, "unsynced"));
            Assert.Contains("outside", e.Message);
        }
    }

    [Fact]
    public void AllocatorCountsAndReusesBlocks()
    {
        var be = CudaTestEnvironment.GetSimulator();
        // counters are per backend and shared with other tests running in parallel: check deltas on our own blocks
        var a = (CudaBuffer)be.Allocate(DType.Float32, 300_000);  // 1.2 MB → a 2 MiB bucket
        Assert.True(be.LiveBytes >= 2 << 20);
        Assert.True(be.PeakBytes >= be.LiveBytes);
        ulong p = a.Pointer;
        a.Dispose();
        Assert.True(be.CachedBytes >= 2 << 20);
        using var b = (CudaBuffer)be.Allocate(DType.Float32, 290_000);  // same bucket → the same block back
        Assert.Equal(p, b.Pointer);
        using var empty = be.Allocate(DType.Float64, 0);
        Assert.Equal(0ul, ((CudaBuffer)empty).Pointer);
    }

    [Fact]
    public void DiskCacheIsUsedOnSecondStart()
    {
        CudaTestEnvironment.GetSimulator();
        var dir = Directory.CreateTempSubdirectory("ganaudio-kcache").FullName;
        var be = CudaBackend.Create(new CudaOptions(Search: CudaTestEnvironment.SimulatorSearch, CacheDirectory: dir));
        using var y = be.Allocate(DType.Float32, 10);
        be.Fill(y, 0, 10, 1);
        var files = Directory.GetFiles(dir);
        Assert.Single(files);
        Assert.Matches(@"copy-sm_\d+-[0-9a-f]{24}\.cubin$", files[0]);
    }
}
