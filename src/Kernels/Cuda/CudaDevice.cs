using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>How the CUDA backend starts: which device, where the libraries are, where compiled kernels are cached
/// (default: <c>GANAUDIO_CUDA_CACHE</c>, else the user's local application data folder).</summary>
public sealed record CudaOptions(int DeviceIndex = 0, CudaLibrarySearch? Search = null, string? CacheDirectory = null);

/// <summary>One device with its primary context, made current on each calling thread, and the launch helper.</summary>
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
    public readonly nint Stream = 0;  // the legacy default stream: every launch and copy in issue order
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
        nuint total;
        d.Check(d.cuDeviceTotalMem_v2(&total, dev));
        TotalMemory = (long)total;
        nint ctx;
        d.Check(d.cuDevicePrimaryCtxRetain(&ctx, dev));
        Context = ctx;
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
    /// driver check the buffer against the kernel's signature.</summary>
    public void Launch(KernelFunction f, uint grid, uint block, uint sharedBytes, KernelArgs args)
    {
        MakeCurrent();
        Counters.Launch();
        fixed (byte* buf = args.Buffer)
        {
            nuint size = (nuint)args.Size;
            void** extra = stackalloc void*[5];
            extra[0] = (void*)CuDriver.CU_LAUNCH_PARAM_BUFFER_POINTER;
            extra[1] = buf;
            extra[2] = (void*)CuDriver.CU_LAUNCH_PARAM_BUFFER_SIZE;
            extra[3] = &size;
            extra[4] = (void*)CuDriver.CU_LAUNCH_PARAM_END;
            Driver.Check(Driver.cuLaunchKernel(f.Handle, grid, 1, 1, block, 1, 1, sharedBytes, Stream, null, extra),
                $"cuLaunchKernel({f.Name}, grid {grid}, block {block}, shared {sharedBytes})");
        }
    }
}

/// <summary>A loaded kernel: its driver handle and symbol name.</summary>
internal readonly record struct KernelFunction(nint Handle, string Name);

/// <summary>A kernel's parameters packed as the driver's argument buffer: each value at its natural alignment.</summary>
internal sealed class KernelArgs
{
    public readonly byte[] Buffer = new byte[256];
    public int Size { get; private set; }

    private KernelArgs Put<T>(T v, int align) where T : unmanaged
    {
        int off = (Size + align - 1) / align * align;
        System.Runtime.InteropServices.MemoryMarshal.Write(Buffer.AsSpan(off), in v);
        Size = off + System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
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
