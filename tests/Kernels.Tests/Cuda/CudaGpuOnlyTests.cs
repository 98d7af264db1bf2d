using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Checks only a real GPU can answer; without one they report skipped, never passed.</summary>
[Trait("Requires", "gpu")]
public class CudaGpuOnlyTests
{
    [Fact]
    public unsafe void CudnnLoadsOnARealGpu()
    {
        var be = CudaTestEnvironment.GetRealGpu();
        var cudnn = Cudnn.TryLoad(CudaLibrarySearch.Default);
        Assert.SkipWhen(cudnn == null, "cuDNN is not installed");
        Assert.True(cudnn!.cudnnGetVersion() > 0);
        Assert.False(be.IsSimulator);
    }

    [Fact]
    public void ElementwiseThroughputIsMeasurable()
    {
        var be = CudaTestEnvironment.GetRealGpu();
        const int n = 1 << 24;
        using var x = be.Allocate(DType.Float32, n);
        using var y = be.Allocate(DType.Float32, n);
        be.Fill(x, 0, n, 1);
        be.Unary(UnaryOp.Tanh, x, y, n);
        be.Synchronize();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 10; i++) be.Unary(UnaryOp.Tanh, x, y, n);
        be.Synchronize();
        double gbs = 10.0 * n * 8 / sw.Elapsed.TotalSeconds / 1e9;
        Console.WriteLine($"tanh f32: {gbs:F1} GB/s on {be.DeviceName}");
        Assert.True(gbs > 0);
    }
}
