namespace GanAudio.Kernels.Cuda;

/// <summary>The mutable counters behind <see cref="DeviceCounters"/> for one CUDA device; incremented at the one place
/// each kind of work is issued (launch, synchronising call, driver allocation, copy).</summary>
internal sealed class CudaCounters
{
    private long launches, syncs, allocations, toDevice, fromDevice;

    public void Launch() => Interlocked.Increment(ref launches);
    public void HostSync() => Interlocked.Increment(ref syncs);
    public void DriverAllocation() => Interlocked.Increment(ref allocations);
    public void ToDevice(long bytes) => Interlocked.Add(ref toDevice, bytes);
    public void FromDevice(long bytes) => Interlocked.Add(ref fromDevice, bytes);

    public DeviceCounters Snapshot() =>
        new(Interlocked.Read(ref launches), Interlocked.Read(ref syncs), Interlocked.Read(ref allocations),
            Interlocked.Read(ref toDevice), Interlocked.Read(ref fromDevice));
}
