using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>Host↔device copies. An upload copies the host data into pinned staging (<see cref="PinnedStaging"/>) and
/// issues <c>cuMemcpyHtoDAsync</c> on the compute stream: the host does not wait (unless every staging buffer is busy).
/// A download is the one wait: <c>cuMemcpyDtoHAsync</c> after the queued work, <c>cuStreamSynchronize</c>, copy out.
/// An upload issued ahead (<see cref="UploadAhead(ReadOnlySpan{float}, DeviceBuffer)"/>) goes on the copy stream, after an
/// event recorded on the compute stream (the destination block may come from that stream's free list with work still
/// queued on it), and <see cref="AwaitUpload"/> makes the compute stream wait on the event recorded after the copy.</summary>
public sealed unsafe partial class CudaBackend
{
    private readonly object fenceGate = new();
    private readonly Dictionary<long, nint> fences = new();
    private readonly Stack<nint> spareEvents = new();
    private long fenceCount;
    private PinnedStaging? staging;

    /// <summary>The pinned staging buffers (allocated at first use).</summary>
    internal PinnedStaging Staging
    {
        get
        {
            if (staging != null) return staging;
            lock (fenceGate) return staging ??= new PinnedStaging(Dev, stagingBuffers, stagingBufferBytes);
        }
    }

    private void ToDevice(void* src, long bytes, ulong dst, nint stream)
    {
        Dev.MakeCurrent();
        Dev.Counters.ToDevice(bytes);
        Staging.Upload((byte*)src, bytes, dst, stream);
    }

    private void FromDevice(ulong src, long bytes, void* dst)
    {
        Dev.MakeCurrent();
        Dev.Counters.FromDevice(bytes);
        Dev.Counters.HostSync();  // the download waits for all queued work
        Staging.Download(src, bytes, (byte*)dst, Dev.Stream);
    }

    public UploadFence UploadAhead(ReadOnlySpan<float> src, DeviceBuffer dst)
    {
        var d = Cu(dst);
        CheckRange(d, 0, src.Length, "upload ahead");
        if (src.Length == 0) return UploadFence.Completed;
        if (d.DType == DType.Float64)
        {
            var tmp = new double[src.Length];
            for (int i = 0; i < tmp.Length; i++) tmp[i] = src[i];
            return UploadAhead(tmp, dst);
        }
        fixed (float* p = src) return Ahead(p, src.Length * 4L, d.Pointer);
    }

    public UploadFence UploadAhead(ReadOnlySpan<double> src, DeviceBuffer dst)
    {
        var d = Cu(dst);
        CheckRange(d, 0, src.Length, "upload ahead");
        if (src.Length == 0) return UploadFence.Completed;
        if (d.DType == DType.Float32)
        {
            var tmp = new float[src.Length];
            for (int i = 0; i < tmp.Length; i++) tmp[i] = (float)src[i];
            return UploadAhead(tmp, dst);
        }
        fixed (double* p = src) return Ahead(p, src.Length * 8L, d.Pointer);
    }

    private UploadFence Ahead(void* src, long bytes, ulong dst)
    {
        Dev.MakeCurrent();
        var drv = Dev.Driver;
        lock (fenceGate)
        {
            var ready = SpareEvent();
            drv.Check(drv.cuEventRecord(ready, Dev.Stream));  // after the work already queued on the destination block
            drv.Check(drv.cuStreamWaitEvent(Dev.CopyStream, ready, 0));
            spareEvents.Push(ready);  // the wait has captured it: free to record again
            ToDevice(src, bytes, dst, Dev.CopyStream);
            var done = SpareEvent();
            drv.Check(drv.cuEventRecord(done, Dev.CopyStream));
            long id = ++fenceCount;
            fences[id] = done;
            return new UploadFence(id);
        }
    }

    public void AwaitUpload(UploadFence fence)
    {
        if (fence.Id == 0) return;
        Dev.MakeCurrent();
        lock (fenceGate)
        {
            if (!fences.Remove(fence.Id, out var done))
                throw new InvalidOperationException($"upload fence {fence.Id} was already awaited or is not from {Device}");
            Dev.Driver.Check(Dev.Driver.cuStreamWaitEvent(Dev.Stream, done, 0));
            spareEvents.Push(done);
        }
    }

    /// <summary>Uploads issued ahead and not yet awaited (tests).</summary>
    internal int PendingUploads
    {
        get
        {
            lock (fenceGate) return fences.Count;
        }
    }

    private nint SpareEvent()
    {
        if (spareEvents.Count > 0) return spareEvents.Pop();
        nint e;
        Dev.Driver.Check(Dev.Driver.cuEventCreate(&e, CuDriver.CU_EVENT_DISABLE_TIMING));
        return e;
    }
}
