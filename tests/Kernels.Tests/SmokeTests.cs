using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;

namespace GanAudio.Kernels.Tests;

public class SmokeTests
{
    [Fact]
    public void CpuBackendAllocatesAndFills()
    {
        using var b = CpuBackend.Instance.Allocate(DType.Float32, 5);
        CpuBackend.Instance.Fill(b, 0, 5, 2.5);
        var o = new float[5];
        CpuBackend.Instance.Download(b, 0, o);
        Assert.All(o, v => Assert.Equal(2.5f, v));
    }
}
