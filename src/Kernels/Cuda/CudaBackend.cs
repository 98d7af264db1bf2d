using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>The CUDA implementation of <see cref="IBackend"/>: hand-written kernels from <c>kernels-cu/</c> compiled by NVRTC
/// at first use, cuBLAS for GEMM, memory from a caching allocator. Work is issued in order on the device's own stream
/// (not the legacy default stream); uploads go through pinned staging without waiting; downloads and
/// <see cref="Synchronize"/> are the host's only waits. Kernel families and transfers live in the other partial files.</summary>
public sealed unsafe partial class CudaBackend : IBackend
{
    internal readonly CudaDevice Dev;
    internal readonly CudaAllocator Allocator;
    internal readonly KernelModules Modules;
    private readonly CudaLibrarySearch search;
    private readonly int stagingBuffers, stagingBufferBytes;

    private CudaBackend(CudaDevice dev, CudaOptions o)
    {
        Dev = dev;
        search = o.Search ?? CudaLibrarySearch.Default;
        (stagingBuffers, stagingBufferBytes) = (o.StagingBuffers, o.StagingBufferBytes);
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
        b.DType.RequireSupported(op);  // upload/download/fill/arange: a dtype that is not float64 is float32 below
        if (offset < 0 || count < 0 || offset + count > b.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{op}: elements [{offset}, {offset + count}) outside a buffer of {b.Length}");
    }

    /// <summary><see cref="CheckRange(DeviceBuffer, long, long, string)"/> naming "<paramref name="what"/> <paramref name="op"/>",
    /// the name formatted only on failure (the launch path builds no string).</summary>
    private static void CheckRange<TOp>(DeviceBuffer b, long offset, long count, string what, TOp op) where TOp : struct, Enum
    {
        if (offset < 0 || count < 0 || offset + count > b.Length) CheckRange(b, offset, count, $"{what} {op}");
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
        fixed (float* p = src) ToDevice(p, src.Length * 4L, d.At(dstOffset), Dev.Stream);
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
        fixed (double* p = src) ToDevice(p, src.Length * 8L, d.At(dstOffset), Dev.Stream);
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
        fixed (float* p = dst) FromDevice(s.At(srcOffset), dst.Length * 4L, p);
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
        fixed (double* p = dst) FromDevice(s.At(srcOffset), dst.Length * 8L, p);
    }

    public void Fill(DeviceBuffer dst, int offset, int count, double value)
    {
        var d = Cu(dst);
        CheckRange(d, offset, count, "fill");
        if (count == 0) return;
        var (g, b) = Dev.Grid1D(count);
        Dev.Launch(Modules.Plain(CudaKernel.Fill, d.DType), g, b, 0,
            new KernelArgs().Ptr(d.At(offset)).I64(count).Scalar(d.DType, value));
    }

    public void Arange(DeviceBuffer dst, int count, double start, double step)
    {
        var d = Cu(dst);
        CheckRange(d, 0, count, "arange");
        if (count == 0) return;
        var (g, b) = Dev.Grid1D(count);
        Dev.Launch(Modules.Plain(CudaKernel.Arange, d.DType), g, b, 0,
            new KernelArgs().Ptr(d.Pointer).I64(count).F64(start).F64(step));
    }

    public void Synchronize()
    {
        Dev.MakeCurrent();
        Dev.Counters.HostSync();
        Dev.Driver.Check(Dev.Driver.cuStreamSynchronize(Dev.Stream));
    }

    /// <summary>Compiles (through the backend's pipeline and options) and returns a kernel of a source that is not
    /// embedded: tests use it for test-only kernels.</summary>
    internal KernelFunction TestKernel(string name, string source, string kernel) => Modules.Function(name, source, kernel);

    /// <summary>Launches a kernel with a packed argument buffer (tests).</summary>
    internal void LaunchRaw(KernelFunction f, uint grid, uint block, uint shared, in KernelArgs args) => Dev.Launch(f, grid, block, shared, args);

    /// <summary>Kernel-table slots resolved so far (each kernel once; tests check that launches do not resolve again).</summary>
    internal long KernelResolutions => Modules.Resolutions;

    /// <summary>On the simulator: the thread order of launches issued from the calling thread (0 forward, 1 reverse,
    /// 2 shuffled, −1 the CUDASIM_ORDER default). No effect on a real driver.</summary>
    internal void SetSimulatorThreadOrder(int order)
    {
        if (Dev.Driver.cudasimSetThreadOrder != null) Dev.Driver.cudasimSetThreadOrder(order);
    }

    /// <summary>The compute stream's handle (tests: never the legacy default stream 0).</summary>
    internal nint ComputeStream => Dev.Stream;

    /// <summary>The copy stream's handle (tests).</summary>
    internal nint CopyStreamHandle => Dev.CopyStream;

    /// <summary>On the simulator: operations issued so far on a stream (0 = the legacy default stream); −1 on a real driver.</summary>
    internal long SimulatorStreamOps(nint stream) => Dev.Driver.cudasimStreamOps != null ? Dev.Driver.cudasimStreamOps(stream) : -1;

    /// <summary>On the simulator: the flags a stream was created with (−1 unknown or a real driver).</summary>
    internal int SimulatorStreamFlags(nint stream) => Dev.Driver.cudasimStreamFlags != null ? Dev.Driver.cudasimStreamFlags(stream) : -1;

    /// <summary>On the simulator: events recorded from the calling thread report "not ready" until synchronised.</summary>
    internal void SetSimulatorHoldEvents(bool on)
    {
        if (Dev.Driver.cudasimHoldEvents != null) Dev.Driver.cudasimHoldEvents(on ? 1 : 0);
    }
}
