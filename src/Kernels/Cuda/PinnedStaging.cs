using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>A ring of pinned (page-locked, <c>cuMemHostAlloc</c>) host buffers that host↔device copies go through, so
/// that an upload is truly asynchronous: the host data is copied into a free buffer, <c>cuMemcpyHtoDAsync</c> is issued
/// on a stream and an event is recorded after it (a real driver copies pageable memory synchronously instead). A buffer
/// is handed out again only once its event has completed (<c>cuEventQuery</c>); only when every buffer is busy does the
/// host wait (<c>cuEventSynchronize</c> on the one issued first), and that wait counts as a host synchronisation.
/// Copies larger than one buffer go in buffer-sized pieces. Buffers are allocated at first use and kept for the
/// device's lifetime. Like PyTorch's pinned-memory caching host allocator behind <c>non_blocking=True</c> copies.</summary>
internal sealed unsafe class PinnedStaging
{
    private sealed class Slot
    {
        public byte* Host;
        public nint Event;
        public bool InFlight;  // an event was recorded after the slot's last copy and has not been seen complete
        public long Issued;    // issue order of that copy
    }

    private readonly CudaDevice dev;
    private readonly Slot[] slots;
    private readonly object gate = new();
    private int next;
    private long issued;

    public PinnedStaging(CudaDevice dev, int count, int bufferBytes)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"{count} staging buffers: at least 1");
        if (bufferBytes < 64) throw new ArgumentOutOfRangeException(nameof(bufferBytes), $"staging buffers of {bufferBytes} bytes: at least 64");
        this.dev = dev;
        BufferBytes = bufferBytes;
        slots = new Slot[count];
        for (int i = 0; i < count; i++) slots[i] = new Slot();
    }

    /// <summary>Bytes per staging buffer.</summary>
    public int BufferBytes { get; }

    public int Count => slots.Length;

    /// <summary>Copies <paramref name="bytes"/> from host <paramref name="src"/> to device <paramref name="dst"/> on
    /// <paramref name="stream"/> through the staging buffers; returns when the host data has been copied into them
    /// (the host waits only for a busy buffer, counted as a host synchronisation).</summary>
    public void Upload(byte* src, long bytes, ulong dst, nint stream)
    {
        var d = dev.Driver;
        lock (gate)
            for (long off = 0; off < bytes; off += BufferBytes)
            {
                long n = Math.Min(BufferBytes, bytes - off);
                var s = Acquire(wait: true)!;
                Buffer.MemoryCopy(src + off, s.Host, BufferBytes, n);
                d.Check(d.cuMemcpyHtoDAsync_v2(dst + (ulong)off, s.Host, (nuint)n, stream));
                d.Check(d.cuEventRecord(s.Event, stream));
                s.InFlight = true;
                s.Issued = ++issued;
            }
    }

    /// <summary>Copies <paramref name="bytes"/> from device <paramref name="src"/> to host <paramref name="dst"/> after the
    /// work queued on <paramref name="stream"/>, and waits for it (one host synchronisation, counted by the caller): through
    /// a free staging buffer when the copy fits one, else straight into <paramref name="dst"/> (the driver stages pageable
    /// memory itself and returns when the copy is done).</summary>
    public void Download(ulong src, long bytes, byte* dst, nint stream)
    {
        var d = dev.Driver;
        lock (gate)
        {
            var s = bytes <= BufferBytes ? Acquire(wait: false) : null;
            if (s == null)
            {
                d.Check(d.cuMemcpyDtoHAsync_v2(dst, src, (nuint)bytes, stream));
                d.Check(d.cuStreamSynchronize(stream));
                return;
            }
            d.Check(d.cuMemcpyDtoHAsync_v2(s.Host, src, (nuint)bytes, stream));
            d.Check(d.cuStreamSynchronize(stream));
            Buffer.MemoryCopy(s.Host, dst, bytes, bytes);
        }
    }

    /// <summary>A staging buffer whose last copy has completed, the ring's next one first (allocated at first use); when
    /// all are busy: null without <paramref name="wait"/>, else the one issued first after waiting for it.</summary>
    private Slot? Acquire(bool wait)
    {
        var d = dev.Driver;
        for (int i = 0; i < slots.Length; i++)
        {
            int k = (next + i) % slots.Length;
            var s = slots[k];
            if (s.InFlight)
            {
                var r = d.cuEventQuery(s.Event);
                if (r == CUresult.CUDA_ERROR_NOT_READY) continue;
                d.Check(r, "cuEventQuery(staging buffer)");
                s.InFlight = false;
            }
            next = (k + 1) % slots.Length;
            return Ready(s);
        }
        if (!wait) return null;
        var oldest = slots.MinBy(s => s.Issued)!;
        dev.Counters.HostSync();  // every staging buffer is still being copied from: the host waits
        d.Check(d.cuEventSynchronize(oldest.Event));
        oldest.InFlight = false;
        next = (Array.IndexOf(slots, oldest) + 1) % slots.Length;
        return oldest;
    }

    private Slot Ready(Slot s)
    {
        if (s.Host != null) return s;
        var d = dev.Driver;
        void* p;
        d.Check(d.cuMemHostAlloc(&p, (nuint)BufferBytes, CuDriver.CU_MEMHOSTALLOC_PORTABLE), $"cuMemHostAlloc({BufferBytes})");
        nint e;
        d.Check(d.cuEventCreate(&e, CuDriver.CU_EVENT_DISABLE_TIMING));
        s.Host = (byte*)p;
        s.Event = e;
        return s;
    }
}
