namespace GanAudio.Kernels.Cuda;

/// <summary>What the driver reports about the device, for benchmarks' roofline peaks. Clocks in kHz and the bus width in
/// bits are 0 where the driver does not report them.</summary>
public sealed record CudaDeviceInfo(string Name, int ComputeCapability, int Multiprocessors, int ClockKHz, int MemoryClockKHz,
    int MemoryBusWidthBits, long TotalMemory, bool IsSimulator);

public sealed partial class CudaBackend
{
    /// <summary>Name, compute capability, SM count, clocks and memory bus width as the driver reports them.</summary>
    public CudaDeviceInfo Info => new(Dev.Name, Dev.ComputeCapability, Dev.MultiprocessorCount, Dev.ClockKHz, Dev.MemoryClockKHz,
        Dev.MemoryBusWidthBits, Dev.TotalMemory, Dev.Driver.IsSimulator);

    /// <summary>A pair of CUDA events on the backend's stream (cuEventRecord / cuEventElapsedTime), for benchmarks.</summary>
    public CudaEventTimer CreateTimer() => new(Dev);
}

/// <summary>Times device work between <see cref="Start"/> and <see cref="Stop"/> with two CUDA events recorded on the
/// backend's stream; <see cref="ElapsedMilliseconds"/> waits for the stop event. On the simulator (synchronous launches)
/// the figure is host time and means nothing for a GPU.</summary>
public sealed unsafe class CudaEventTimer : IDisposable
{
    private readonly CudaDevice dev;
    private nint start, stop;

    internal CudaEventTimer(CudaDevice dev)
    {
        this.dev = dev;
        dev.MakeCurrent();
        nint a, b;
        dev.Driver.Check(dev.Driver.cuEventCreate(&a, 0));
        dev.Driver.Check(dev.Driver.cuEventCreate(&b, 0));
        (start, stop) = (a, b);
    }

    public void Start()
    {
        dev.MakeCurrent();
        dev.Driver.Check(dev.Driver.cuEventRecord(start, dev.Stream));
    }

    public void Stop()
    {
        dev.MakeCurrent();
        dev.Driver.Check(dev.Driver.cuEventRecord(stop, dev.Stream));
    }

    /// <summary>Milliseconds between the two recorded events (waits for the stop event).</summary>
    public double ElapsedMilliseconds
    {
        get
        {
            dev.MakeCurrent();
            dev.Driver.Check(dev.Driver.cuEventSynchronize(stop));
            float ms;
            dev.Driver.Check(dev.Driver.cuEventElapsedTime(&ms, start, stop));
            return ms;
        }
    }

    public void Dispose()
    {
        if (start == 0) return;
        dev.MakeCurrent();
        dev.Driver.cuEventDestroy_v2(start);
        dev.Driver.cuEventDestroy_v2(stop);
        start = stop = 0;
    }
}
