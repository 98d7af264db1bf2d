using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace GanAudio.Kernels.Cpu;

/// <summary>A 64-byte-aligned native scratch block rented from <see cref="ScratchPool"/> (packed GEMM panels,
/// polyphase conv inputs). Dispose returns it to the pool; contents are undefined on rent.</summary>
internal sealed unsafe class ScratchBlock : IDisposable
{
    internal ScratchBlock(long bytes)
    {
        Bytes = bytes;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
    }

    public long Bytes { get; }

    public byte* Pointer { get; private set; }

    public T* As<T>() where T : unmanaged => (T*)Pointer;

    public void Dispose() => ScratchPool.Return(this);

    internal void Free()
    {
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}

/// <summary>Grow-only pool of native scratch blocks, so kernels that run every training step with the same shapes
/// allocate nothing in steady state. Blocks are reused when big enough; pooled bytes are capped.</summary>
internal static class ScratchPool
{
    private static readonly ConcurrentBag<ScratchBlock> Free = new();
    private static long pooledBytes;

    /// <summary>Upper bound on idle pooled bytes (default 1 GiB); beyond it returned blocks are freed.</summary>
    public static long CapacityBytes { get; set; } = 1L << 30;

    /// <summary>Rents a block of at least <paramref name="bytes"/> bytes (at least 64).</summary>
    public static ScratchBlock Rent(long bytes)
    {
        bytes = Math.Max(64, (bytes + 63) & ~63L);
        // take the first free block that fits; put back what does not fit (the bag is small)
        var misfits = new List<ScratchBlock>();
        ScratchBlock? found = null;
        while (Free.TryTake(out var b))
        {
            if (b.Bytes >= bytes && b.Bytes <= 4 * bytes + (1 << 20))
            {
                found = b;
                break;
            }
            misfits.Add(b);
        }
        foreach (var m in misfits) Free.Add(m);
        if (found is not null)
        {
            Interlocked.Add(ref pooledBytes, -found.Bytes);
            return found;
        }
        return new ScratchBlock(bytes);
    }

    public static void Return(ScratchBlock b)
    {
        if (Interlocked.Read(ref pooledBytes) + b.Bytes > CapacityBytes)
        {
            b.Free();
            return;
        }
        Interlocked.Add(ref pooledBytes, b.Bytes);
        Free.Add(b);
    }
}
