namespace GanAudio.Kernels.Cpu;

/// <summary>Work splitting for CPU kernels. Results never depend on the thread count: work is cut into pieces
/// whose boundaries depend only on the problem size, and each output element is computed by one piece.</summary>
public static class CpuParallel
{
    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>Threads the CPU kernels may use (default: all cores).</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set => maxThreads = Math.Max(1, value);
    }

    /// <summary>Runs body(i) for i in [0, count), in parallel when worthwhile.
    /// <paramref name="costPerItem"/> is a rough number of scalar operations per item.</summary>
    public static void For(int count, double costPerItem, Action<int> body)
    {
        if (count <= 0) return;
        if (maxThreads == 1 || count == 1 || count * costPerItem < 32768)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        Parallel.For(0, count, opts, body);
    }

    /// <summary>Splits [0, length) into fixed chunks of <paramref name="chunk"/> and runs body(start, end) over them.</summary>
    public static void ForChunks(long length, int chunk, Action<long, long> body)
    {
        if (length <= 0) return;
        int chunks = (int)((length + chunk - 1) / chunk);
        For(chunks, chunk, c =>
        {
            long s = (long)c * chunk;
            body(s, Math.Min(length, s + chunk));
        });
    }
}
