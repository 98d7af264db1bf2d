using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Checks only a real GPU can answer; without one they report skipped, never passed. (Throughput is measured by
/// <c>bench/Bench -- kernels --device cuda</c>, not asserted here.)</summary>
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
}
