using System.Collections.Concurrent;

namespace GanAudio.Kernels.Cpu;

/// <summary>The CPU's caching allocator for tensor buffers: arrays are handed out in the size classes of
/// <see cref="MemoryBuckets"/> (512 B steps up to 1 MiB, then 1 MiB steps), freed arrays go back to their class and
/// serve any later request of that class, so the same or similar shapes in every training step reuse memory instead of
/// churning the large-object heap. Pooled bytes are capped; beyond the cap arrays go back to the GC. Counts live, cached
/// and reserved bytes and their peaks (what torch.cuda.max_memory_allocated / max_memory_reserved report on a GPU).
/// Arrays below <see cref="MinPooled"/> elements are exact-sized and left to the GC, but counted.</summary>
public static class CpuMemoryPool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Floats = new();
    private static readonly ConcurrentDictionary<int, ConcurrentBag<double[]>> Doubles = new();
    private static long pooledBytes, liveBytes, peakLive, peakReserved;

    /// <summary>Upper bound on bytes kept in the pool (default: half the memory available to the process, at least
    /// 2 GiB). Arrays returned beyond it go to the GC, which may hold them as garbage until a full collection, so a cap
    /// below a training step's peak makes the process hold more, not less.</summary>
    public static long CapacityBytes { get; set; } = Math.Max(2L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);

    /// <summary>Bytes currently held by the pool for reuse (not live).</summary>
    public static long PooledBytes => Interlocked.Read(ref pooledBytes);

    /// <summary>Bytes of the arrays handed out and not yet returned (array lengths, i.e. bucket sizes).</summary>
    public static long LiveBytes => Interlocked.Read(ref liveBytes);

    /// <summary>The pool's bytes now and their peaks since the last <see cref="ResetPeak"/>.</summary>
    public static MemoryStats Stats()
    {
        long live = LiveBytes, pooled = PooledBytes;
        return new MemoryStats(live, Math.Max(live, Interlocked.Read(ref peakLive)), pooled, live + pooled,
            Math.Max(live + pooled, Interlocked.Read(ref peakReserved)));
    }

    /// <summary>Starts the peaks again from the current values.</summary>
    public static void ResetPeak()
    {
        Interlocked.Exchange(ref peakLive, LiveBytes);
        Interlocked.Exchange(ref peakReserved, LiveBytes + PooledBytes);
    }

    /// <summary>Arrays shorter than this are not pooled (the GC handles small ones well).</summary>
    public const int MinPooled = 1024;

    /// <summary>The array length handed out for a request of <paramref name="length"/> elements of
    /// <paramref name="elementSize"/> bytes: the length itself below <see cref="MinPooled"/>, else its size class.</summary>
    public static int BucketLength(int length, int elementSize)
    {
        if (length < MinPooled) return length;
        long n = MemoryBuckets.Round((long)length * elementSize) / elementSize;
        return n <= Array.MaxLength ? (int)n : length;
    }

    /// <summary>An array of at least <paramref name="length"/> floats: a cached one of its size class or, for requests
    /// above 1 MiB, of the next class with a cached block up to twice the request (fewer idle blocks: on the WaveGAN step
    /// this cut the pool's reserved peak by 5 % at d = 64), else a new one of its class.</summary>
    public static float[] RentFloat(int length)
    {
        var a = Take(Floats, BucketLength(length, 4), 4) ?? GC.AllocateUninitializedArray<float>(BucketLength(length, 4));
        Handed(4L * a.Length);
        return a;
    }

    /// <summary>As <see cref="RentFloat"/>, for doubles.</summary>
    public static double[] RentDouble(int length)
    {
        var a = Take(Doubles, BucketLength(length, 8), 8) ?? GC.AllocateUninitializedArray<double>(BucketLength(length, 8));
        Handed(8L * a.Length);
        return a;
    }

    private static T[]? Take<T>(ConcurrentDictionary<int, ConcurrentBag<T[]>> pool, int n, int elementSize)
    {
        if (n < MinPooled) return null;
        long bytes = (long)n * elementSize;
        long last = bytes <= MemoryBuckets.LargeStep ? bytes : bytes + Math.Max(MemoryBuckets.LargeStep, bytes);
        for (long b = bytes; b <= last; b += MemoryBuckets.LargeStep)
        {
            long len = b / elementSize;
            if (len > Array.MaxLength) break;
            if (pool.TryGetValue((int)len, out var bag) && bag.TryTake(out var got))
            {
                Interlocked.Add(ref pooledBytes, -b);
                return got;
            }
        }
        return null;
    }

    /// <summary>Takes back an array from <see cref="RentFloat"/> (its contents are garbage to the next renter).</summary>
    public static void Return(float[] a)
    {
        long bytes = 4L * a.Length;
        if (Keep(a.Length, bytes, 4)) Floats.GetOrAdd(a.Length, _ => new ConcurrentBag<float[]>()).Add(a);
        Interlocked.Add(ref liveBytes, -bytes);
    }

    /// <summary>Takes back an array from <see cref="RentDouble"/>.</summary>
    public static void Return(double[] a)
    {
        long bytes = 8L * a.Length;
        if (Keep(a.Length, bytes, 8)) Doubles.GetOrAdd(a.Length, _ => new ConcurrentBag<double[]>()).Add(a);
        Interlocked.Add(ref liveBytes, -bytes);
    }

    /// <summary>Drops every pooled array.</summary>
    public static void Clear()
    {
        Floats.Clear();
        Doubles.Clear();
        Interlocked.Exchange(ref pooledBytes, 0);
    }

    /// <summary>Counts an array handed out and raises the peaks.</summary>
    private static void Handed(long bytes)
    {
        long live = Interlocked.Add(ref liveBytes, bytes);
        RaiseTo(ref peakLive, live);
        RaiseTo(ref peakReserved, live + PooledBytes);
    }

    /// <summary>Whether a returned array goes into the pool (its own size class, under the cap); counts it if so.</summary>
    private static bool Keep(int length, long bytes, int elementSize)
    {
        if (length < MinPooled || BucketLength(length, elementSize) != length) return false;
        if (Interlocked.Add(ref pooledBytes, bytes) <= CapacityBytes) return true;
        Interlocked.Add(ref pooledBytes, -bytes);
        return false;
    }

    private static void RaiseTo(ref long peak, long value)
    {
        long seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            long was = Interlocked.CompareExchange(ref peak, value, seen);
            if (was == seen) return;
            seen = was;
        }
    }
}
