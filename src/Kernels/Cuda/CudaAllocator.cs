using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>A caching device allocator: sizes are rounded into buckets (512 B steps up to 1 MiB, then 1 MiB steps);
/// freed blocks go to a per-stream free list (keyed by the stream the buffer's work is issued on: the device's compute
/// stream) and are reused by later requests of the same bucket on that stream, which is safe in stream order without
/// synchronising. Work on any other stream that touches such a block must first wait for an event recorded on the
/// owning stream (as <see cref="CudaBackend.UploadAhead(ReadOnlySpan{float}, DeviceBuffer)"/> does on the copy stream).
/// When the driver runs out of memory the cached blocks are released and the request retried once.</summary>
internal sealed unsafe class CudaAllocator
{
    private readonly CudaDevice dev;
    private readonly object gate = new();
    private readonly Dictionary<(nint Stream, long Size), Stack<ulong>> free = new();
    private long live, peak, cached, reserved, peakReserved;

    public CudaAllocator(CudaDevice dev) => this.dev = dev;

    /// <summary>Bytes in blocks handed out and not yet freed (bucket sizes).</summary>
    public long LiveBytes => Interlocked.Read(ref live);

    /// <summary>The highest <see cref="LiveBytes"/> seen.</summary>
    public long PeakBytes => Interlocked.Read(ref peak);

    /// <summary>Bytes in freed blocks kept for reuse.</summary>
    public long CachedBytes => Interlocked.Read(ref cached);

    /// <summary>Bytes obtained from the driver (live + cached).</summary>
    public long ReservedBytes => Interlocked.Read(ref reserved);

    public static long Bucket(long bytes) => MemoryBuckets.Round(bytes);

    /// <summary>The allocator's bytes now and their peaks since the last <see cref="ResetPeak"/>.</summary>
    public MemoryStats Stats()
    {
        lock (gate) return new MemoryStats(live, peak, cached, reserved, peakReserved);
    }

    /// <summary>Starts the peaks again from the current values.</summary>
    public void ResetPeak()
    {
        lock (gate)
        {
            peak = live;
            peakReserved = reserved;
        }
    }

    /// <summary>A block of at least <paramref name="bytes"/> for <paramref name="stream"/>; with <paramref name="reuse"/>
    /// false always a fresh one from the driver, for long-lived backend tables that must not take a cached block a later
    /// step of the same work expects to find (the pool then stays warm after the first step).</summary>
    public ulong Allocate(long bytes, nint stream, out long size, bool reuse = true)
    {
        size = Bucket(bytes);
        lock (gate)
        {
            if (reuse && free.TryGetValue((stream, size), out var s) && s.Count > 0)
            {
                cached -= size;
                return Handed(s.Pop(), size);
            }
        }
        dev.MakeCurrent();
        ulong p;
        var r = dev.Driver.cuMemAlloc_v2(&p, (nuint)size);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY)
        {
            ReleaseCached();
            r = dev.Driver.cuMemAlloc_v2(&p, (nuint)size);
            if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY)
            {
                nuint f = 0, t = 0;
                dev.Driver.cuMemGetInfo_v2(&f, &t);
                throw new CudaOutOfMemoryException(bytes, LiveBytes, CachedBytes, (long)f, (long)t);
            }
        }
        dev.Driver.Check(r, $"cuMemAlloc_v2({size})");
        dev.Counters.DriverAllocation();
        lock (gate)
        {
            reserved += size;
            if (reserved > peakReserved) peakReserved = reserved;
            return Handed(p, size);
        }
    }

    private ulong Handed(ulong p, long size)
    {
        live += size;
        if (live > peak) peak = live;
        return p;
    }

    public void Free(ulong p, long size, nint stream)
    {
        lock (gate)
        {
            live -= size;
            cached += size;
            if (!free.TryGetValue((stream, size), out var s)) free[(stream, size)] = s = new Stack<ulong>();
            s.Push(p);
        }
    }

    /// <summary>Returns every cached block to the driver.</summary>
    public void ReleaseCached()
    {
        List<ulong> blocks;
        lock (gate)
        {
            blocks = free.Values.SelectMany(s => s).ToList();
            free.Clear();
            reserved -= cached;
            cached = 0;
        }
        dev.MakeCurrent();
        dev.Counters.HostSync();
        dev.Driver.Check(dev.Driver.cuCtxSynchronize());  // every stream: queued work may still use the cached blocks
        foreach (var p in blocks) dev.Driver.Check(dev.Driver.cuMemFree_v2(p));
    }
}
