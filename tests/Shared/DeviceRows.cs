using System.Runtime.InteropServices;
using GanAudio.Kernels;
using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;
using GanAudio.Tensors;

namespace GanAudio.Tests.Shared;

/// <summary>The device rows of the Tensor and Nn tests: one test body runs on <c>cpu</c> and on <c>cuda</c>. The cuda row
/// runs on the real driver when one is installed (and <c>GANAUDIO_CUDA_TESTS</c> is not <c>sim</c>), else on the CPU
/// simulator of tests/CudaSim (its stand-in libcuda.so.1 and cuBLAS in tests/CudaSim/build, made by the test build when
/// g++ is present or by .ci/install-cuda-tools.sh). Without either, or without NVRTC, the cuda row reports skipped with
/// the reason, never passed. Linked as source into Tensor.Tests, Nn.Tests and GanApp.Tests.</summary>
public static class DeviceRows
{
    private static readonly Lazy<string?> Unavailable = new(Open);

    /// <summary>Theory data: one row per device name.</summary>
    public static TheoryData<string> Names => new() { "cpu", "cuda" };

    /// <summary>Theory data crossing the device names with other parameters.</summary>
    public static TheoryData<string, T> With<T>(IEnumerable<T> items)
    {
        var d = new TheoryData<string, T>();
        foreach (var row in new[] { "cpu", "cuda" })
            foreach (var it in items)
                d.Add(row, it);
        return d;
    }

    /// <summary>Theory data: every row of <paramref name="rows"/> once per device, the device name first.</summary>
    public static IEnumerable<TheoryDataRow> Cross(IEnumerable<ITheoryDataRow> rows)
    {
        var all = rows.Select(r => r.GetData()).ToList();
        foreach (var row in new[] { "cpu", "cuda" })
            foreach (var data in all)
                yield return new TheoryDataRow([row, .. data]);
    }

    /// <summary>The device of a row, or skips the running test (Assert.Skip) with the reason CUDA cannot run here.</summary>
    public static Device Get(string name)
    {
        switch (name)
        {
            case "cpu":
                return Device.Cpu;
            case "cuda":
                var reason = Unavailable.Value;
                Assert.SkipWhen(reason != null, reason ?? "");
                return Device.Cuda();
        }
        throw new ArgumentException($"unknown device row '{name}'");
    }

    /// <summary>True when the cuda row runs on the CPU simulator (not a real GPU): callers may use smaller sizes there.</summary>
    public static bool OnSimulator(Device device) =>
        device.Type == DeviceType.Cuda && Devices.Backend(device) is CudaBackend { IsSimulator: true };

    /// <summary>Points <c>cuda:N</c> at the simulator's driver when no real driver is installed; returns why CUDA cannot
    /// run, or null.</summary>
    private static string? Open()
    {
        var sim = SimulatorDirectory();
        var mode = Environment.GetEnvironmentVariable("GANAUDIO_CUDA_TESTS") ?? "auto";
        bool realDriver = mode != "sim" && (OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcuda.so.1", out _)
                                            || OperatingSystem.IsWindows() && NativeLibrary.TryLoad("nvcuda.dll", out _));
        if (!KernelCompiler.IsAvailable(out var nvrtc, realDriver || sim == null ? null : new CudaLibrarySearch([sim])))
            return "NVRTC not available: " + nvrtc;
        if (!realDriver)
        {
            if (mode == "real") return "GANAUDIO_CUDA_TESTS=real but no CUDA driver library is installed";
            if (sim == null)
                return "no CUDA driver and no simulator: build it with `make -C tests/CudaSim` (needs g++) or run .ci/install-cuda-tools.sh";
            var cache = Path.Combine(Path.GetTempPath(), "ganaudio-cuda-test-cache");
            Devices.Register(DeviceType.Cuda, i => CudaBackend.Create(new CudaOptions(i, new CudaLibrarySearch([sim]), cache)));
        }
        try
        {
            Devices.Backend(Device.Cuda());
            return null;
        }
        catch (CudaException e)
        {
            return "CUDA backend could not start: " + e.Message;
        }
    }

    /// <summary>tests/CudaSim/build when its libcuda.so.1 exists, found upwards from the test assembly.</summary>
    private static string? SimulatorDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var dir = Path.Combine(d.FullName, "tests", "CudaSim", "build");
            if (File.Exists(Path.Combine(dir, "libcuda.so.1"))) return dir;
        }
        return null;
    }
}
