namespace GanAudio.Kernels;

/// <summary>A contiguous block of elements on one device. Freed by <see cref="Dispose"/>; there is no finalizer
/// (device memory is released explicitly). Live counters are global across backends.</summary>
public abstract class DeviceBuffer : IDisposable
{
    private static long liveBytes;
    private static long liveBuffers;
    private int disposed;

    protected DeviceBuffer(DType dtype, int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "buffer length must be >= 0");
        DType = dtype.RequireSupported("allocate");  // no buffer of an unsupported dtype exists, so no kernel meets one
        Length = length;
        Interlocked.Add(ref liveBytes, Bytes);
        Interlocked.Increment(ref liveBuffers);
    }

    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    public long Bytes => (long)Length * DType.Size();

    public abstract IBackend Backend { get; }

    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>Bytes held by all undisposed buffers of every backend.</summary>
    public static long LiveBytes => Interlocked.Read(ref liveBytes);

    /// <summary>Number of undisposed buffers of every backend.</summary>
    public static long LiveBuffers => Interlocked.Read(ref liveBuffers);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        Interlocked.Add(ref liveBytes, -Bytes);
        Interlocked.Decrement(ref liveBuffers);
        Release();
    }

    /// <summary>Returns the memory to the device or its pool.</summary>
    protected abstract void Release();

    protected void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(GetType().Name, "buffer used after Dispose");
    }
}
