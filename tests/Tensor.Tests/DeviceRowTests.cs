using GanAudio.Kernels;
using GanAudio.Kernels.Cuda;

namespace GanAudio.Tensors.Tests;

/// <summary>The cuda row is a real CUDA run: its tensors live on cuda:0, are served by the CUDA backend (the simulator's
/// stand-in driver, or a GPU), and results computed there stay there.</summary>
public class DeviceRowTests(ITestOutputHelper log)
{
    [Fact]
    public void CudaRowRunsOnTheCudaBackend()
    {
        var dev = DeviceRows.Get("cuda");
        var be = Assert.IsType<CudaBackend>(Devices.Backend(dev));
        log.WriteLine($"cuda row: {(be.IsSimulator ? "CPU simulator (tests/CudaSim)" : "real GPU")}, compute capability {be.ComputeCapability}");
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(new[] { 1.0, -2, 3 }, [3], device: dev);
        var y = (x * x).Sum();
        Assert.Equal(dev, x.Device);
        Assert.Equal(dev, y.Device);
        Assert.Equal(14.0, y.Item());
        Assert.Equal(Device.Cpu, DeviceRows.Get("cpu"));
        Assert.Throws<ArgumentException>(() => DeviceRows.Get("tpu"));
    }
}
