using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Streams and transfers: uploads through the pinned staging ring (pieces, more copies in flight than buffers,
/// waits counted only when every buffer is busy), downloads as the one wait, uploads issued ahead on the copy stream,
/// all work on the device's own non-blocking stream, and the simulator's guards (pageable async sources, stale
/// stream and event handles). Each test opens a backend of its own, so counts are not disturbed by other tests.</summary>
public class CudaTransferTests
{
    private static float[] Floats(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    private static double[] Doubles(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1 + 1e-12 * r.NextDouble()).ToArray();
    }

    public static TheoryData<DType, int> RoundTripCases()
    {
        var d = new TheoryData<DType, int>();
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in new[] { 1, 7, 31, 32, 33, 1001, 4099 })
                d.Add(t, n);
        return d;
    }

    /// <summary>Upload then download, at odd sizes and an odd offset, through two 128-byte staging buffers (so large copies
    /// go in many pieces, more than there are buffers), in the buffer's dtype and converted from the other one.</summary>
    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void RoundTripsThroughPinnedStaging(DType t, int n)
    {
        var be = CudaTestEnvironment.Fresh(stagingBuffers: 2, stagingBufferBytes: 128);
        using var buf = be.Allocate(t, n + 5);
        if (t == DType.Float32)
        {
            var x = Floats(n, n);
            be.Upload(x, buf, 3);
            var back = new float[n];
            be.Download(buf, 3, back);
            Assert.Equal(x, back);
            var asDouble = new double[n];
            be.Download(buf, 3, asDouble);
            Assert.Equal(x.Select(v => (double)v), asDouble);
        }
        else
        {
            var x = Doubles(n, n);
            be.Upload(x, buf, 3);
            var back = new double[n];
            be.Download(buf, 3, back);
            Assert.Equal(x, back);
            var f = Floats(n, n + 1);
            be.Upload(f, buf, 3);  // float32 data into a float64 buffer
            be.Download(buf, 3, back);
            Assert.Equal(f.Select(v => (double)v), back);
        }
    }

    /// <summary>Uploads into fresh staging buffers wait for nothing: 0 host synchronisations; a download is exactly one.</summary>
    [Fact]
    public void UploadsAreNoHostSyncAndADownloadIsOne()
    {
        var be = CudaTestEnvironment.Fresh(stagingBuffers: 4, stagingBufferBytes: 4096);
        using var buf = be.Allocate(DType.Float32, 4000);
        var before = be.Counters;
        var x = Floats(1000, 1);
        for (int i = 0; i < 4; i++) be.Upload(x, buf, i * 1000);  // one piece each, four free buffers
        var up = be.Counters - before;
        Assert.Equal(0, up.HostSyncs);
        Assert.Equal(16000, up.BytesToDevice);
        var back = new float[4000];
        be.Download(buf, 0, back);
        var down = be.Counters - before;
        Assert.Equal(1, down.HostSyncs);
        Assert.Equal(16000, down.BytesFromDevice);
        for (int i = 0; i < 4; i++) Assert.Equal(x, back.AsSpan(i * 1000, 1000).ToArray());
        Assert.Equal(1, (be.Counters - before).HostSyncs);
    }

    /// <summary>With events held "not ready" (simulator), five uploads through two buffers: the first two find free
    /// buffers, each later one waits for the buffer issued first (one counted host sync each); after a synchronise the
    /// buffers are free again. The data arrives intact.</summary>
    [Fact]
    public void MoreUploadsInFlightThanBuffersWaitAndCountEachWait()
    {
        CudaTestEnvironment.GetSimulator();
        var be = CudaTestEnvironment.Fresh(stagingBuffers: 2, stagingBufferBytes: 256);
        using var buf = be.Allocate(DType.Float32, 5 * 64);
        var xs = Enumerable.Range(0, 5).Select(i => Floats(64, 10 + i)).ToArray();
        be.SetSimulatorHoldEvents(true);
        try
        {
            var before = be.Counters;
            for (int i = 0; i < 5; i++)
            {
                be.Upload(xs[i], buf, i * 64);
                Assert.Equal(Math.Max(0, i - 1), (be.Counters - before).HostSyncs);
            }
            be.Synchronize();  // completes the held events of the stream
            var mid = be.Counters;
            be.Upload(xs[0], buf, 0);
            be.Upload(xs[1], buf, 64);
            Assert.Equal(0, (be.Counters - mid).HostSyncs);
        }
        finally
        {
            be.SetSimulatorHoldEvents(false);
        }
        var back = new float[5 * 64];
        be.Download(buf, 0, back);
        for (int i = 0; i < 5; i++) Assert.Equal(xs[i], back.AsSpan(i * 64, 64).ToArray());
    }

    /// <summary>A download while every buffer is busy does not wait for a buffer (it copies straight out): still one sync.</summary>
    [Fact]
    public void DownloadWithEveryBufferBusyIsStillOneSync()
    {
        CudaTestEnvironment.GetSimulator();
        var be = CudaTestEnvironment.Fresh(stagingBuffers: 1, stagingBufferBytes: 256);
        using var buf = be.Allocate(DType.Float64, 17);
        var x = Doubles(17, 5);
        be.SetSimulatorHoldEvents(true);
        try
        {
            be.Upload(x, buf);
            var before = be.Counters;
            var back = new double[17];
            be.Download(buf, 0, back);
            Assert.Equal(1, (be.Counters - before).HostSyncs);
            Assert.Equal(x, back);
        }
        finally
        {
            be.SetSimulatorHoldEvents(false);
        }
    }

    /// <summary>An upload issued ahead lands in a block just freed by queued compute work and is then used by compute:
    /// the data is the upload's, no host sync is counted, the fence is awaited once, and the copy went on the copy stream.</summary>
    [Theory]
    [InlineData(DType.Float32, 37)]
    [InlineData(DType.Float64, 1030)]
    public void UploadAheadThenComputeSeesTheData(DType t, int n)
    {
        var be = CudaTestEnvironment.Fresh(stagingBuffers: 2, stagingBufferBytes: 512);
        var old = be.Allocate(t, n);
        be.Fill(old, 0, n, 5);
        old.Dispose();  // back to the compute stream's free list with the fill queued
        using var y = be.Allocate(t, n);
        long copyOps = be.SimulatorStreamOps(be.CopyStreamHandle);
        var x = Floats(n, n);
        var before = be.Counters;
        var fence = be.UploadAhead(x, y);
        Assert.Equal(1, be.PendingUploads);
        be.AwaitUpload(fence);
        Assert.Equal(0, be.PendingUploads);
        Assert.Throws<InvalidOperationException>(() => be.AwaitUpload(fence));
        be.Unary(UnaryOp.Neg, y, y, n);
        var back = new double[n];
        be.Download(y, 0, back);
        var d = be.Counters - before;
        Assert.Equal(1, d.HostSyncs);  // the download only
        Assert.Equal((long)n * t.Size(), d.BytesToDevice);
        Assert.Equal(x.Select(v => -(double)v), back);
        if (be.IsSimulator) Assert.True(be.SimulatorStreamOps(be.CopyStreamHandle) > copyOps, "the upload ran on the copy stream");
        Assert.Equal(UploadFence.Completed, be.UploadAhead(Array.Empty<float>(), y));
    }

    /// <summary>The device works on streams of its own, created non-blocking; launches, cuBLAS, copies and downloads all go
    /// there, none on the legacy default stream (simulator counts operations per stream).</summary>
    [Fact]
    public void WorkGoesOnTheDevicesOwnStreamNotTheDefaultStream()
    {
        var be = CudaTestEnvironment.Fresh();
        Assert.NotEqual(0, be.ComputeStream);
        Assert.NotEqual(0, be.CopyStreamHandle);
        Assert.NotEqual(be.ComputeStream, be.CopyStreamHandle);
        if (!be.IsSimulator) return;
        Assert.Equal((int)CuDriver.CU_STREAM_NON_BLOCKING, be.SimulatorStreamFlags(be.ComputeStream));
        Assert.Equal((int)CuDriver.CU_STREAM_NON_BLOCKING, be.SimulatorStreamFlags(be.CopyStreamHandle));
        long legacy = be.SimulatorStreamOps(0), mine = be.SimulatorStreamOps(be.ComputeStream);
        var before = be.Counters;
        using var a = be.Allocate(DType.Float32, 6);
        using var c = be.Allocate(DType.Float32, 4);
        be.Upload(Floats(6, 2), a);
        be.Fill(c, 0, 4, 0);
        be.Gemm(new GemmArgs(false, false, 2, 2, 3), a, a, c);
        be.Unary(UnaryOp.Neg, c, c, 4);
        var back = new float[4];
        be.Download(c, 0, back);
        be.Synchronize();
        var d = be.Counters - before;
        Assert.Equal(legacy, be.SimulatorStreamOps(0));
        Assert.Equal(d.Launches + 2, be.SimulatorStreamOps(be.ComputeStream) - mine);  // + one upload piece + one download
    }

    /// <summary>The simulator refuses an asynchronous upload from pageable memory (a real driver would quietly copy it
    /// synchronously) and work on a stream handle that was never created.</summary>
    [Fact]
    public unsafe void SimulatorRefusesPageableAsyncSourcesAndUnknownStreams()
    {
        CudaTestEnvironment.GetSimulator();
        var be = CudaTestEnvironment.Fresh();
        var drv = be.Dev.Driver;
        be.Dev.MakeCurrent();
        using var buf = be.Allocate(DType.Float32, 16);
        var ptr = ((CudaBuffer)buf).Pointer;
        var host = new float[16];
        fixed (float* p = host)
        {
            Assert.Equal(CUresult.CUDA_ERROR_INVALID_VALUE, drv.cuMemcpyHtoDAsync_v2(ptr, p, 64, be.ComputeStream));
            var e = drv.Error(CUresult.CUDA_ERROR_INVALID_VALUE, "cuMemcpyHtoDAsync_v2");
            Assert.Contains("pinned", e.Message);
        }
        void* pinned;
        drv.Check(drv.cuMemHostAlloc(&pinned, 64, 0));
        try
        {
            Assert.Equal(CUresult.CUDA_SUCCESS, drv.cuMemcpyHtoDAsync_v2(ptr, pinned, 64, be.ComputeStream));
            Assert.Equal(CUresult.CUDA_ERROR_INVALID_VALUE, drv.cuMemcpyHtoDAsync_v2(ptr, (byte*)pinned + 1, 64, be.ComputeStream));  // past its end
            Assert.Equal((CUresult)400, drv.cuMemsetD32Async(ptr, 0, 16, 0x1234));  // CUDA_ERROR_INVALID_HANDLE
        }
        finally
        {
            drv.Check(drv.cuMemFreeHost(pinned));
        }
        Assert.Equal(CUresult.CUDA_ERROR_INVALID_VALUE, drv.cuMemFreeHost(pinned));
    }
}
