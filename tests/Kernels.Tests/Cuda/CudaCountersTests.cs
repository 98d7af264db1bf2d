namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The device counters count what the backend issues: one launch per kernel or cuBLAS call, one host
/// synchronisation per blocking download or synchronise, the allocator's driver allocations, bytes each way.</summary>
[Collection(SerialCollection.Name)]
public class CudaCountersTests
{
    [Fact]
    public void CountsLaunchesSyncsAllocationsAndBytes()
    {
        var be = CudaTestEnvironment.Fresh();  // its own counters: tests running in parallel on the shared backend add to those
        var n = 1000 + Random.Shared.Next(7);  // a size no other test uses, so the first allocation misses the cache
        var before = be.Counters;
        using var x = be.Allocate(DType.Float32, 123457);
        var afterAlloc = be.Counters - before;
        Assert.Equal(1, afterAlloc.DriverAllocations);

        var host = new float[n];
        be.Upload(host, x);
        be.Fill(x, 0, n, 2);
        be.Unary(UnaryOp.Neg, x, x, n);
        be.Download(x, 0, host);
        be.Synchronize();
        var d = be.Counters - before;
        Assert.Equal(2, d.Launches);
        Assert.Equal(2, d.HostSyncs);
        Assert.Equal(4L * n, d.BytesToDevice);
        Assert.Equal(4L * n, d.BytesFromDevice);
        Assert.All(host, v => Assert.Equal(-2f, v));

        x.Dispose();
        var mid = be.Counters;
        using var y = be.Allocate(DType.Float32, 123457);  // same bucket: served from the cache
        Assert.Equal(0, (be.Counters - mid).DriverAllocations);
    }
}
