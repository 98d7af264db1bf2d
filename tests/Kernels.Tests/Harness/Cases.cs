namespace GanAudio.Kernels.Tests.Harness;

/// <summary>Theory data that crosses the backend names with other parameters, and small helpers shared by kernel tests.</summary>
public static class Cases
{
    public static TheoryData<string, DType> BackendsAndDTypes()
    {
        var d = new TheoryData<string, DType>();
        foreach (var row in TestBackends.Names)
            foreach (var dt in new[] { DType.Float32, DType.Float64 })
                d.Add(row, dt);
        return d;
    }

    public static TheoryData<string, DType, T> With<T>(IEnumerable<T> items)
    {
        var d = new TheoryData<string, DType, T>();
        foreach (var row in TestBackends.Names)
            foreach (var dt in new[] { DType.Float32, DType.Float64 })
                foreach (var it in items)
                    d.Add(row, dt, it);
        return d;
    }

    /// <summary>Inputs as the kernel sees them: rounded to float for Float32.</summary>
    public static double[] For(DType dt, double[] a) => dt == DType.Float32 ? Rand.AsFloat(a) : a;

    public static DeviceBuffer Up(IBackend be, DType dt, double[] a) => TestBackends.Upload(be, dt, a);

    public static double[] Down(IBackend be, DeviceBuffer b) => TestBackends.Download(be, b);

    /// <summary>Tolerances: rtol for Float32 / Float64.</summary>
    public static double Rtol(DType dt, double f32 = 1e-5, double f64 = 1e-12) => dt == DType.Float32 ? f32 : f64;
}
