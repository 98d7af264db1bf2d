using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Error paths: missing driver library, a driver without a device, an NVRTC compile error, an allocation
/// failure, a launch whose arguments do not match the kernel.</summary>
public class CudaErrorTests
{
    [Fact]
    public void MissingDriverLibrarySuggestsCpuDevice()
    {
        var empty = Directory.CreateTempSubdirectory("ganaudio-nocuda").FullName;
        var e = Assert.Throws<CudaUnavailableException>(() =>
            CudaBackend.Create(new CudaOptions(Search: new CudaLibrarySearch([empty], SystemPaths: false))));
        Assert.Contains("CUDA driver library was not found", e.Message);
        Assert.Contains("--device cpu", e.Message);
        Assert.Contains(Path.Combine(empty, "libcuda.so.1"), e.Message);
    }

    [Fact]
    public unsafe void DriverWithoutDeviceReportsNoDevice()
    {
        CudaTestEnvironment.GetSimulator();
        var drv = CuDriver.Load(CudaTestEnvironment.SimulatorSearch);
        drv.cudasimSetDeviceCount(0);
        try
        {
            var e = Assert.Throws<CudaUnavailableException>(() => CudaBackend.Create(new CudaOptions(Search: CudaTestEnvironment.SimulatorSearch)));
            Assert.Contains("CUDA_ERROR_NO_DEVICE", e.Message);
            Assert.Contains("--device cpu", e.Message);
        }
        finally
        {
            drv.cudasimSetDeviceCount(-1);
        }
    }

    [Fact]
    public void CompileErrorShowsTheLog()
    {
        Assert.SkipUnless(KernelCompiler.IsAvailable(out var reason), "NVRTC not available: " + reason);
        const string bad = "#include \"common.cuh\"\nKERNEL void broken_fwd_f32(float* y) { y[0] = no_such_function(1.0f); }\n";
        var e = Assert.Throws<NvrtcException>(() => KernelCompiler.Compile("broken.cu", bad, KernelSources.Headers, KernelCompiler.Options(80)));
        Assert.Contains("no_such_function", e.Log);
        Assert.Contains("broken.cu(2)", e.Log);
        Assert.Contains("no_such_function", e.Message);
        Assert.Contains("nvrtcCompileProgram", e.Message);
    }

    [Fact]
    public void AllocationFailureNamesSizeAndLiveBytes()
    {
        var be = CudaTestEnvironment.GetSimulator();  // 8 GiB simulated device
        using var keep = be.Allocate(DType.Float32, 1000);
        var e = Assert.Throws<CudaOutOfMemoryException>(() => be.Allocate(DType.Float64, int.MaxValue));
        Assert.Equal(int.MaxValue * 8L, e.RequestedBytes);
        Assert.Contains($"requested {int.MaxValue * 8L} bytes", e.Message);
        Assert.Contains("live in buffers", e.Message);
        Assert.True(e.LiveBytes >= 4000);
    }

    [Fact]
    public void LaunchWithWrongArgumentsIsRejected()
    {
        var be = CudaTestEnvironment.GetSimulator();
        using var y = be.Allocate(DType.Float32, 4);
        var f = be.Modules.Function(CudaKernelNames.CopyFile, CudaKernelNames.Fill(DType.Float32));
        // fill_f32(float*, i64, float) given (float*, int, float): the buffer is 4 bytes short.
        var e = Assert.Throws<CudaException>(() => be.LaunchRaw(f, 1, 32, 0, new KernelArgs().Ptr(((CudaBuffer)y).Pointer).I32(4).Scalar(DType.Float32, 1)));
        Assert.Contains("CUDA_ERROR_INVALID_VALUE", e.Message);
        Assert.Contains("fill_f32", e.Message);
        Assert.Contains("pointer, int64, float", e.Message);
    }

    [Fact]
    public void PointerParameterMustBeDeviceMemory()
    {
        var be = CudaTestEnvironment.GetSimulator();
        var f = be.Modules.Function(CudaKernelNames.CopyFile, CudaKernelNames.Fill(DType.Float32));
        var e = Assert.Throws<CudaException>(() => be.LaunchRaw(f, 1, 32, 0, new KernelArgs().Ptr(0x1234).I64(4).Scalar(DType.Float32, 1)));
        Assert.Contains("not inside a device allocation", e.Message);
    }
}
