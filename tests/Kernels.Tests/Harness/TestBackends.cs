using GanAudio.Kernels.Cpu;

namespace GanAudio.Kernels.Tests.Harness;

/// <summary>The backends every kernel test body runs on. A backend that cannot start here (no GPU, no simulator built)
/// makes the test report skipped with the reason, never passed.</summary>
public static class TestBackends
{
    /// <summary>Theory data: one row per backend name.</summary>
    public static TheoryData<string> Names => new() { "cpu", "cuda" };

    /// <summary>Returns the backend, or skips the running test (Assert.Skip) with the reason it is unavailable.</summary>
    public static IBackend Get(string name)
    {
        switch (name)
        {
            case "cpu":
                return CpuBackend.Instance;
            case "cuda":
                return Cuda.CudaTestEnvironment.Get();
        }
        throw new ArgumentException($"unknown backend '{name}'");
    }

    public static DeviceBuffer Upload(IBackend be, DType dtype, double[] data)
    {
        var buf = be.Allocate(dtype, data.Length);
        be.Upload(data, buf);
        return buf;
    }

    public static double[] Download(IBackend be, DeviceBuffer buf, int count = -1)
    {
        var r = new double[count < 0 ? buf.Length : count];
        be.Download(buf, 0, r);
        return r;
    }
}
