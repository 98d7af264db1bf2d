using GanAudio.Kernels;

namespace GanAudio.Tensors;

/// <summary>A device buffer shared by a tensor and its views; freed when the last one is disposed.</summary>
internal sealed class Storage
{
    private int refs = 1;

    public Storage(DeviceBuffer buffer) => Buffer = buffer;

    public DeviceBuffer Buffer { get; }

    /// <summary>How many tensors (views) share this storage.</summary>
    public int RefCount => Volatile.Read(ref refs);

    public void AddRef() => Interlocked.Increment(ref refs);

    public void Release()
    {
        if (Interlocked.Decrement(ref refs) == 0) Buffer.Dispose();
    }
}
