using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>How the CUDA backend starts: which device, where the libraries are, where compiled kernels are cached
/// (default: <c>GANAUDIO_CUDA_CACHE</c>, else the user's local application data folder), and the pinned staging
/// buffers of host↔device copies (<paramref name="StagingBuffers"/> of <paramref name="StagingBufferBytes"/> each,
/// allocated at first use; larger copies go through them in pieces).</summary>
public sealed record CudaOptions(int DeviceIndex = 0, CudaLibrarySearch? Search = null, string? CacheDirectory = null,
    int StagingBuffers = 8, int StagingBufferBytes = 4 << 20);

/// <summary>One device with its primary context, made current on each calling thread, its two streams and the launch
/// helper. All work (kernels, cuBLAS, copies, memsets) is issued in order on <see cref="Stream"/>; uploads issued ahead
/// of use go on <see cref="CopyStream"/> and are joined to it with events.</summary>
internal sealed unsafe class CudaDevice
{
    [ThreadStatic] private static nint currentContext;

    public readonly CuDriver Driver;
    public readonly int Ordinal;
    public readonly nint Context;
    public readonly string Name;
    public readonly int ComputeCapability;
    public readonly int MultiprocessorCount;
    public readonly long TotalMemory;
    /// <summary>SM clock, memory clock (kHz) and memory bus width (bits) as the driver reports them; 0 where it does not.</summary>
    public readonly int ClockKHz, MemoryClockKHz, MemoryBusWidthBits;
    /// <summary>The compute stream (CU_STREAM_NON_BLOCKING: it never waits on the legacy default stream, so nothing
    /// may be issued there): every launch, cuBLAS call, copy and memset in issue order.</summary>
    public readonly nint Stream;
    /// <summary>The copy stream of uploads issued ahead (<see cref="CudaBackend.UploadAhead(ReadOnlySpan{float}, DeviceBuffer)"/>).</summary>
    public readonly nint CopyStream;
    public readonly CudaCounters Counters = new();

    private CudaDevice(CuDriver d, int ordinal)
    {
        Driver = d;
        Ordinal = ordinal;
        int dev, major, minor, sms;
        d.Check(d.cuDeviceGet(&dev, ordinal));
        byte* name = stackalloc byte[256];
        d.Check(d.cuDeviceGetName(name, 256, dev));
        Name = LibraryLoader.Utf8(name) ?? "?";
        d.Check(d.cuDeviceGetAttribute(&major, CuDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev));
        d.Check(d.cuDeviceGetAttribute(&minor, CuDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev));
        d.Check(d.cuDeviceGetAttribute(&sms, CuDriver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev));
        ComputeCapability = major * 10 + minor;
        MultiprocessorCount = Math.Max(1, sms);
        ClockKHz = OptionalAttribute(d, CuDriver.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, dev);
        MemoryClockKHz = OptionalAttribute(d, CuDriver.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, dev);
        MemoryBusWidthBits = OptionalAttribute(d, CuDriver.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, dev);
        nuint total;
        d.Check(d.cuDeviceTotalMem_v2(&total, dev));
        TotalMemory = (long)total;
        nint ctx;
        d.Check(d.cuDevicePrimaryCtxRetain(&ctx, dev));
        Context = ctx;
        MakeCurrent();
        nint s, c;
        d.Check(d.cuStreamCreate(&s, CuDriver.CU_STREAM_NON_BLOCKING));
        d.Check(d.cuStreamCreate(&c, CuDriver.CU_STREAM_NON_BLOCKING));
        Stream = s;
        CopyStream = c;
    }

    // an attribute only reports use (the benchmarks' peaks): an error reads as 0 rather than failing the open
    private static int OptionalAttribute(CuDriver d, int attr, int dev)
    {
        int v;
        return d.cuDeviceGetAttribute(&v, attr, dev) == CUresult.CUDA_SUCCESS ? v : 0;
    }

    /// <summary>Loads the driver, initialises it and opens device <paramref name="ordinal"/>. A missing library or a
    /// machine without a device gives a <see cref="CudaUnavailableException"/> that suggests <c>--device cpu</c>.</summary>
    public static CudaDevice Open(CudaLibrarySearch search, int ordinal)
    {
        var d = CuDriver.Load(search);
        var r = d.cuInit(0);
        if (r == CUresult.CUDA_ERROR_NO_DEVICE)
            throw new CudaUnavailableException(
                $"the CUDA driver ({d.Path}) reports no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE); run on the CPU with --device cpu");
        d.Check(r, "cuInit(0)");
        int count;
        d.Check(d.cuDeviceGetCount(&count));
        if (ordinal < 0 || ordinal >= count)
            throw new CudaUnavailableException($"cuda:{ordinal} requested but the driver reports {count} device(s); use cuda:0..cuda:{count - 1} or --device cpu");
        var dev = new CudaDevice(d, ordinal);
        dev.MakeCurrent();
        return dev;
    }

    /// <summary>Makes this device's context current on the calling thread (cached per thread).</summary>
    public void MakeCurrent()
    {
        if (currentContext == Context) return;
        Driver.Check(Driver.cuCtxSetCurrent(Context));
        currentContext = Context;
    }

    /// <summary>Threads per block for 1-D kernels and a grid that covers n with grid-stride loops.</summary>
    public (uint Grid, uint Block) Grid1D(long n, int block = 256)
    {
        long blocks = Math.Clamp((n + block - 1) / block, 1, (long)MultiprocessorCount * 32);
        return ((uint)blocks, (uint)block);
    }

    /// <summary>Launches with the argument buffer form (CU_LAUNCH_PARAM_BUFFER_POINTER/SIZE), which lets the stand-in
    /// driver check the buffer against the kernel's signature. Allocation-free: the arguments live in the caller's
    /// <see cref="KernelArgs"/> (on the stack), the <c>extra</c> array is stack-allocated.</summary>
    public void Launch(KernelFunction f, uint grid, uint block, uint sharedBytes, in KernelArgs args)
    {
        MakeCurrent();
        Counters.Launch();
        fixed (byte* buf = args.Bytes)
        {
            nuint size = (nuint)args.Size;
            void** extra = stackalloc void*[5];
            extra[0] = (void*)CuDriver.CU_LAUNCH_PARAM_BUFFER_POINTER;
            extra[1] = buf;
            extra[2] = (void*)CuDriver.CU_LAUNCH_PARAM_BUFFER_SIZE;
            extra[3] = &size;
            extra[4] = (void*)CuDriver.CU_LAUNCH_PARAM_END;
            var r = Driver.cuLaunchKernel(f.Handle, grid, 1, 1, block, 1, 1, sharedBytes, Stream, null, extra);
            if (r != CUresult.CUDA_SUCCESS) LaunchFailed(r, f, grid, block, sharedBytes);
        }
    }

    // the message is built only on failure: the launch path itself formats no string
    private void LaunchFailed(CUresult r, KernelFunction f, uint grid, uint block, uint sharedBytes) =>
        Driver.Check(r, $"cuLaunchKernel({f.Name}, grid {grid}, block {block}, shared {sharedBytes})");
}

/// <summary>A loaded kernel: its driver handle and symbol name. A class, so a resolved slot of a
/// <see cref="KernelTable"/> is published with one reference write.</summary>
internal sealed record KernelFunction(nint Handle, string Name);

/// <summary>The inline storage of <see cref="KernelArgs"/>: 256 bytes, the most any kernel here takes.</summary>
[System.Runtime.CompilerServices.InlineArray(KernelArgs.Capacity)]
internal struct KernelArgBytes
{
    private byte first;
}

/// <summary>A kernel's parameters packed as the driver's argument buffer: each value at its natural alignment. A stack
/// value (no heap allocation): each call writes one value and returns the updated copy, so
/// <c>new KernelArgs().Ptr(x).I64(n)</c> builds the buffer in place of the old 256-byte array per launch.</summary>
internal ref struct KernelArgs
{
    public const int Capacity = 256;
    private KernelArgBytes bytes;
    private int size;

    public readonly int Size => size;

    /// <summary>The packed bytes [0, Size).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)bytes)[..size];

    private KernelArgs Put<T>(T v, int align) where T : unmanaged
    {
        int off = (size + align - 1) / align * align;
        int n = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (off + n > Capacity) throw new ArgumentException($"kernel arguments above {Capacity} bytes");
        System.Runtime.InteropServices.MemoryMarshal.Write(((Span<byte>)bytes)[off..], in v);
        size = off + n;
        return this;
    }

    public KernelArgs Ptr(ulong p) => Put(p, 8);
    public KernelArgs I32(int v) => Put(v, 4);
    public KernelArgs I64(long v) => Put(v, 8);
    public KernelArgs U64(ulong v) => Put(v, 8);
    public KernelArgs F64(double v) => Put(v, 8);

    /// <summary>A scalar of the kernel's dtype (float for f32 kernels, double for f64).</summary>
    public KernelArgs Scalar(DType t, double v) => t switch { DType.Float32 => Put((float)v, 4), DType.Float64 => Put(v, 8), _ => throw DTypeExtensions.Unsupported(t, "kernel scalar") };

    public KernelArgs Struct<T>(in T v) where T : unmanaged => Put(v, 4);
}
