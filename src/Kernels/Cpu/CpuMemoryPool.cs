using System.Collections.Concurrent;

namespace GanAudio.Kernels.Cpu;

/// <summary>Caches freed arrays by exact length so the same shapes in every training step reuse memory instead of
/// churning the large-object heap. Pooled bytes are capped; beyond the cap arrays go back to the GC.</summary>
public static class CpuMemoryPool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Floats = new();
    private static readonly ConcurrentDictionary<int, ConcurrentBag<double[]>> Doubles = new();
    private static long pooledBytes;

    /// <summary>Upper bound on bytes kept in the pool (default 2 GiB).</summary>
    public static long CapacityBytes { get; set; } = 2L << 30;

    /// <summary>Bytes currently held by the pool (not live).</summary>
    public static long PooledBytes => Interlocked.Read(ref pooledBytes);

    /// <summary>Arrays shorter than this are not pooled (the GC handles small ones well).</summary>
    private const int MinPooled = 1024;

    public static float[] RentFloat(int length)
    {
        if (length >= MinPooled && Floats.TryGetValue(length, out var bag) && bag.TryTake(out var a))
        {
            Interlocked.Add(ref pooledBytes, -4L * length);
            return a;
        }
        return GC.AllocateUninitializedArray<float>(length);
    }

    public static double[] RentDouble(int length)
    {
        if (length >= MinPooled && Doubles.TryGetValue(length, out var bag) && bag.TryTake(out var a))
        {
            Interlocked.Add(ref pooledBytes, -8L * length);
            return a;
        }
        return GC.AllocateUninitializedArray<double>(length);
    }

    public static void Return(float[] a)
    {
        if (a.Length < MinPooled || PooledBytes + 4L * a.Length > CapacityBytes) return;
        Interlocked.Add(ref pooledBytes, 4L * a.Length);
        Floats.GetOrAdd(a.Length, _ => new ConcurrentBag<float[]>()).Add(a);
    }

    public static void Return(double[] a)
    {
        if (a.Length < MinPooled || PooledBytes + 8L * a.Length > CapacityBytes) return;
        Interlocked.Add(ref pooledBytes, 8L * a.Length);
        Doubles.GetOrAdd(a.Length, _ => new ConcurrentBag<double[]>()).Add(a);
    }

    /// <summary>Drops every pooled array.</summary>
    public static void Clear()
    {
        Floats.Clear();
        Doubles.Clear();
        Interlocked.Exchange(ref pooledBytes, 0);
    }
}
