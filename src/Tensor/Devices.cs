using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;
using GanAudio.Kernels.Cuda;

namespace GanAudio.Tensors;

/// <summary>Maps a <see cref="Device"/> to its backend. The CPU is always there; <c>cuda:N</c> opens the CUDA backend
/// (<see cref="CudaBackend.Create"/>: the installed driver, NVRTC and cuBLAS) on first use unless another factory was
/// registered (tests register the CPU simulator's driver). A machine without a driver or device gets a one-line
/// <see cref="CudaUnavailableException"/> that suggests <c>--device cpu</c>.</summary>
public static class Devices
{
    private static readonly Dictionary<DeviceType, Func<int, IBackend>> Factories = new()
    {
        [DeviceType.Cuda] = i => CudaBackend.Create(new CudaOptions(DeviceIndex: i)),
    };
    private static readonly Dictionary<Device, IBackend> Cache = new();

    /// <summary>Registers how to create the backend of a device type, replacing the default; backends already created stay.</summary>
    public static void Register(DeviceType type, Func<int, IBackend> factory)
    {
        lock (Cache) Factories[type] = factory;
    }

    public static IBackend Backend(Device device)
    {
        if (device.Type == DeviceType.Cpu) return CpuBackend.Instance;
        lock (Cache)
        {
            if (Cache.TryGetValue(device, out var b)) return b;
            if (!Factories.TryGetValue(device.Type, out var f))
                throw new InvalidOperationException($"device {device} is not available in this build; use --device cpu");
            b = f(device.Index);
            if (b is CudaBackend cuda) cuda.Precision = precision;
            Cache[device] = b;
            return b;
        }
    }

    /// <summary>The device's work counters so far (launches, host synchronisations, driver allocations, bytes copied each
    /// way); subtract two snapshots for the work in between. Zeros on the CPU.</summary>
    public static DeviceCounters Counters(Device device) => Backend(device).Counters;

    private static MathPrecision precision = MathPrecision.Fp32;

    /// <summary>The float32 precision of GEMM and convolution on CUDA devices, opened ones and later ones:
    /// <see cref="MathPrecision.Tf32"/> lets cuBLAS/cuDNN use TF32 tensor cores on sm_80+ (PyTorch's
    /// <c>torch.backends.cuda.matmul.allow_tf32</c> and <c>torch.backends.cudnn.allow_tf32</c>), <see cref="MathPrecision.Fp32"/>
    /// (the default here; GanApp's <c>--precision</c> defaults to tf32) keeps full fp32. float64 and the CPU are unaffected.</summary>
    public static MathPrecision Precision
    {
        get => precision;
        set
        {
            lock (Cache)
            {
                precision = value;
                foreach (var b in Cache.Values)
                    if (b is CudaBackend cuda) cuda.Precision = value;
            }
        }
    }

    /// <summary>The device allocator's bytes: live (held by tensors now), cached (freed, kept for reuse), reserved
    /// (live + cached) and the peaks of live and reserved bytes since the last <see cref="ResetPeakMemory"/> (on the CPU,
    /// the buffer pool's; torch.cuda.max_memory_allocated / max_memory_reserved on a GPU).</summary>
    public static MemoryStats Memory(Device device) => Backend(device).Memory;

    /// <summary>Starts the device allocator's peaks again from the current values (torch.cuda.reset_peak_memory_stats).</summary>
    public static void ResetPeakMemory(Device device) => Backend(device).ResetPeakMemory();

    /// <summary>Threads the CPU backend's kernels may use (default: all cores; values below 1 mean 1). Results never depend
    /// on it: work is split at boundaries that depend only on the problem size.</summary>
    public static int CpuThreads
    {
        get => CpuParallel.MaxThreads;
        set => CpuParallel.MaxThreads = value;
    }
}
