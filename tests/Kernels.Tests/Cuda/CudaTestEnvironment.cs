using System.Runtime.InteropServices;
using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Finds a CUDA backend for tests: the real driver when one is installed (and <c>GANAUDIO_CUDA_TESTS</c> is not
/// <c>sim</c>), else the CPU simulator's stand-in driver built in <c>tests/CudaSim/build</c> (by the test build when g++ is
/// present, or by <c>.ci/install-cuda-tools.sh</c>). Without either, or without NVRTC, tests skip with the reason.</summary>
public static class CudaTestEnvironment
{
    public const int Forward = 0, Reverse = 1, Shuffle = 2;

    private static readonly Lazy<(CudaBackend? Backend, string Reason)> Shared = new(Open);

    /// <summary>The repository root (the folder holding kernels-cu/), found upwards from the test assembly.</summary>
    public static string? RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "kernels-cu")) && Directory.Exists(Path.Combine(d.FullName, "tests", "CudaSim")))
                    return d.FullName;
            return null;
        }
    }

    /// <summary>The simulator's build folder when its libcuda.so.1 exists.</summary>
    public static string? SimulatorDirectory
    {
        get
        {
            var root = RepoRoot;
            if (root == null) return null;
            var dir = Path.Combine(root, "tests", "CudaSim", "build");
            return File.Exists(Path.Combine(dir, "libcuda.so.1")) ? dir : null;
        }
    }

    public static CudaLibrarySearch SimulatorSearch => new([SimulatorDirectory ?? "/nonexistent"]);

    private static (CudaBackend?, string) Open()
    {
        if (!KernelCompiler.IsAvailable(out var nvrtcReason)) return (null, "NVRTC not available: " + nvrtcReason);
        var mode = Environment.GetEnvironmentVariable("GANAUDIO_CUDA_TESTS") ?? "auto";
        bool realDriver = mode != "sim" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcuda.so.1", out _)
                          || mode != "sim" && OperatingSystem.IsWindows() && NativeLibrary.TryLoad("nvcuda.dll", out _);
        try
        {
            if (realDriver) return (CudaBackend.Create(new CudaOptions()), "");
            if (mode == "real") return (null, "GANAUDIO_CUDA_TESTS=real but no CUDA driver library is installed");
            if (SimulatorDirectory == null)
                return (null, "no CUDA driver and no simulator: build it with `make -C tests/CudaSim` (needs g++) or run .ci/install-cuda-tools.sh");
            var cache = Path.Combine(Path.GetTempPath(), "ganaudio-cuda-test-cache");
            return (CudaBackend.Create(new CudaOptions(Search: SimulatorSearch, CacheDirectory: cache)), "");
        }
        catch (CudaException e)
        {
            return (null, "CUDA backend could not start: " + e.Message);
        }
    }

    /// <summary>The shared CUDA backend, or skips the test with the reason.</summary>
    public static CudaBackend Get()
    {
        var (be, reason) = Shared.Value;
        Assert.SkipWhen(be == null, reason);
        return be!;
    }

    /// <summary>A backend of its own (its own streams, kernel tables, counters and staging buffers: for counts that parallel
    /// tests on the shared backend would disturb) on the same driver as <see cref="Get"/>,
    /// with <paramref name="stagingBuffers"/> pinned staging buffers of <paramref name="stagingBufferBytes"/>; skips like it.</summary>
    public static CudaBackend Fresh(int stagingBuffers = 8, int stagingBufferBytes = 4 << 20)
    {
        var shared = Get();
        var cache = Path.Combine(Path.GetTempPath(), "ganaudio-cuda-test-cache");
        return CudaBackend.Create(shared.IsSimulator
            ? new CudaOptions(Search: SimulatorSearch, CacheDirectory: cache, StagingBuffers: stagingBuffers, StagingBufferBytes: stagingBufferBytes)
            : new CudaOptions(StagingBuffers: stagingBuffers, StagingBufferBytes: stagingBufferBytes));
    }

    /// <summary>The backend when it runs on the simulator, else skips (real-driver runs cannot reorder threads).</summary>
    public static CudaBackend GetSimulator()
    {
        var be = Get();
        Assert.SkipUnless(be.IsSimulator, "needs the CUDA simulator (running on a real driver)");
        return be;
    }

    /// <summary>Skips unless a real GPU runs the tests.</summary>
    public static CudaBackend GetRealGpu()
    {
        var (be, reason) = Shared.Value;
        Assert.SkipWhen(be == null || be.IsSimulator, be == null ? reason : "needs a real GPU (running on the CPU simulator)");
        return be!;
    }

    /// <summary>Sets the simulator's thread order for launches from the calling thread (0 forward, 1 reverse, 2 shuffle).</summary>
    public static void SetOrder(CudaBackend be, int order) => be.SetSimulatorThreadOrder(order);

    public static int ParseOrder(string order) => order switch { "forward" => Forward, "reverse" => Reverse, "shuffle" => Shuffle, _ => throw new ArgumentException(order) };
}
