using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>The CUDA implementation of <see cref="IBackend"/>: hand-written kernels from <c>kernels-cu/</c> compiled by NVRTC
/// at first use, cuBLAS for GEMM, memory from a caching allocator. Work is issued in order on one stream; downloads
/// wait for it. Kernel families live in the other partial files.</summary>
public sealed unsafe partial class CudaBackend : IBackend
{
    internal readonly CudaDevice Dev;
    internal readonly CudaAllocator Allocator;
    internal readonly KernelModules Modules;
    private readonly CudaLibrarySearch search;

    private CudaBackend(CudaDevice dev, CudaOptions o)
    {
        Dev = dev;
        search = o.Search ?? CudaLibrarySearch.Default;
        Allocator = new CudaAllocator(dev);
        Modules = new KernelModules(dev, search, o.CacheDirectory);
    }

    /// <summary>Opens the device. Throws <see cref="CudaUnavailableException"/> (message suggests <c>--device cpu</c>) when
    /// there is no driver library or no device.</summary>
    public static CudaBackend Create(CudaOptions? options = null)
    {
        var o = options ?? new CudaOptions();
        var dev = CudaDevice.Open(o.Search ?? CudaLibrarySearch.Default, o.DeviceIndex);
        return new CudaBackend(dev, o);
    }

    public Device Device => Device.Cuda(Dev.Ordinal);

    public string DeviceName => Dev.Name;

    /// <summary>Compute capability as major·10 + minor (80 for sm_80).</summary>
    public int ComputeCapability => Dev.ComputeCapability;

    /// <summary>True when running on the CPU simulator's stand-in driver (tests/CudaSim).</summary>
    public bool IsSimulator => Dev.Driver.IsSimulator;

    /// <summary>Path of the driver library in use.</summary>
    public string DriverPath => Dev.Driver.Path;

    /// <summary>Launches, host synchronisations, driver allocations and bytes copied since the device was opened.</summary>
    public DeviceCounters Counters => Dev.Counters.Snapshot();

    public long LiveBytes => Allocator.LiveBytes;

    public long PeakBytes => Allocator.PeakBytes;

    public long CachedBytes => Allocator.CachedBytes;

    /// <summary>The caching allocator's bytes and their peaks.</summary>
    public MemoryStats Memory => Allocator.Stats();

    public void ResetPeakMemory() => Allocator.ResetPeak();

    /// <summary>Returns the allocator's cached blocks to the driver.</summary>
    public void EmptyCache() => Allocator.ReleaseCached();

    internal static CudaBuffer Cu(DeviceBuffer b) =>
        b as CudaBuffer ?? throw new ArgumentException($"buffer on {b.Backend.Device} passed to the CUDA backend");

    public DeviceBuffer Allocate(DType dtype, int length) => new CudaBuffer(this, dtype, length);

    private static void CheckRange(DeviceBuffer b, long offset, long count, string op)
    {
        if (offset < 0 || count < 0 || offset + count > b.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{op}: elements [{offset}, {offset + count}) outside a buffer of {b.Length}");
    }

    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset = 0)
    {
        var d = Cu(dst);
        CheckRange(d, dstOffset, src.Length, "upload");
        if (src.Length == 0) return;
        if (d.DType == DType.Float64)
        {
            var tmp = new double[src.Length];
            for (int i = 0; i < tmp.Length; i++) tmp[i] = src[i];
            Upload(tmp, dst, dstOffset);
            return;
        }
        Dev.MakeCurrent();
        Dev.Counters.ToDevice(src.Length * 4L);
        fixed (float* p = src) Dev.Driver.Check(Dev.Driver.cuMemcpyHtoD_v2(d.At(dstOffset), p, (nuint)(src.Length * 4L)));
    }

    public void Upload(ReadOnlySpan<double> src, DeviceBuffer dst, int dstOffset = 0)
    {
        var d = Cu(dst);
        CheckRange(d, dstOffset, src.Length, "upload");
        if (src.Length == 0) return;
        if (d.DType == DType.Float32)
        {
            var tmp = new float[src.Length];
            for (int i = 0; i < tmp.Length; i++) tmp[i] = (float)src[i];
            Upload(tmp, dst, dstOffset);
            return;
        }
        Dev.MakeCurrent();
        Dev.Counters.ToDevice(src.Length * 8L);
        fixed (double* p = src) Dev.Driver.Check(Dev.Driver.cuMemcpyHtoD_v2(d.At(dstOffset), p, (nuint)(src.Length * 8L)));
    }

    public void Download(DeviceBuffer src, int srcOffset, Span<float> dst)
    {
        var s = Cu(src);
        CheckRange(s, srcOffset, dst.Length, "download");
        if (dst.Length == 0) return;
        if (s.DType == DType.Float64)
        {
            var tmp = new double[dst.Length];
            Download(src, srcOffset, tmp);
            for (int i = 0; i < tmp.Length; i++) dst[i] = (float)tmp[i];
            return;
        }
        Dev.MakeCurrent();
        Dev.Counters.FromDevice(dst.Length * 4L);
        Dev.Counters.HostSync();  // a blocking download waits for all queued work
        fixed (float* p = dst) Dev.Driver.Check(Dev.Driver.cuMemcpyDtoH_v2(p, s.At(srcOffset), (nuint)(dst.Length * 4L)));
    }

    public void Download(DeviceBuffer src, int srcOffset, Span<double> dst)
    {
        var s = Cu(src);
        CheckRange(s, srcOffset, dst.Length, "download");
        if (dst.Length == 0) return;
        if (s.DType == DType.Float32)
        {
            var tmp = new float[dst.Length];
            Download(src, srcOffset, tmp);
            for (int i = 0; i < tmp.Length; i++) dst[i] = tmp[i];
            return;
        }
        Dev.MakeCurrent();
        Dev.Counters.FromDevice(dst.Length * 8L);
        Dev.Counters.HostSync();  // a blocking download waits for all queued work
        fixed (double* p = dst) Dev.Driver.Check(Dev.Driver.cuMemcpyDtoH_v2(p, s.At(srcOffset), (nuint)(dst.Length * 8L)));
    }

    public void Fill(DeviceBuffer dst, int offset, int count, double value)
    {
        var d = Cu(dst);
        CheckRange(d, offset, count, "fill");
        if (count == 0) return;
        var (g, b) = Dev.Grid1D(count);
        Dev.Launch(Modules.Function(CudaKernelNames.CopyFile, CudaKernelNames.Fill(d.DType)), g, b, 0,
            new KernelArgs().Ptr(d.At(offset)).I64(count).Scalar(d.DType, value));
    }

    public void Arange(DeviceBuffer dst, int count, double start, double step)
    {
        var d = Cu(dst);
        CheckRange(d, 0, count, "arange");
        if (count == 0) return;
        var (g, b) = Dev.Grid1D(count);
        Dev.Launch(Modules.Function(CudaKernelNames.CopyFile, CudaKernelNames.Arange(d.DType)), g, b, 0,
            new KernelArgs().Ptr(d.Pointer).I64(count).F64(start).F64(step));
    }

    public void Synchronize()
    {
        Dev.MakeCurrent();
        Dev.Counters.HostSync();
        Dev.Driver.Check(Dev.Driver.cuCtxSynchronize());
    }

    /// <summary>Compiles (through the backend's pipeline and options) and returns a kernel of a source that is not
    /// embedded: tests use it for test-only kernels.</summary>
    internal KernelFunction TestKernel(string name, string source, string kernel) => Modules.Function(name, source, kernel);

    /// <summary>Launches a kernel with a packed argument buffer (tests).</summary>
    internal void LaunchRaw(KernelFunction f, uint grid, uint block, uint shared, KernelArgs args) => Dev.Launch(f, grid, block, shared, args);

    /// <summary>On the simulator: the thread order of launches issued from the calling thread (0 forward, 1 reverse,
    /// 2 shuffled, −1 the CUDASIM_ORDER default). No effect on a real driver.</summary>
    internal void SetSimulatorThreadOrder(int order)
    {
        if (Dev.Driver.cudasimSetThreadOrder != null) Dev.Driver.cudasimSetThreadOrder(order);
    }
}
