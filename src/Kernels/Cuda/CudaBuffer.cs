namespace GanAudio.Kernels.Cuda;

/// <summary>Device memory from the backend's caching allocator. An empty buffer holds no memory (pointer 0).</summary>
public sealed class CudaBuffer : DeviceBuffer
{
    private readonly CudaBackend backend;
    private readonly long blockBytes;
    private ulong ptr;

    internal CudaBuffer(CudaBackend backend, DType dtype, int length) : base(dtype, length)
    {
        this.backend = backend;
        if (length > 0) ptr = backend.Allocator.Allocate(Bytes, backend.Dev.Stream, out blockBytes);
    }

    public override IBackend Backend => backend;

    /// <summary>Device address of element 0.</summary>
    public ulong Pointer
    {
        get
        {
            ThrowIfDisposed();
            return ptr;
        }
    }

    /// <summary>Device address of element <paramref name="offset"/>.</summary>
    public ulong At(long offset) => Pointer + (ulong)(offset * DType.Size());

    protected override void Release()
    {
        if (ptr != 0) backend.Allocator.Free(ptr, blockBytes, backend.Dev.Stream);
        ptr = 0;
    }
}
