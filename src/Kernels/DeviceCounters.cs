namespace GanAudio.Kernels;

/// <summary>Cumulative counts of the work one device has been given since it was opened: kernel launches (cuBLAS and
/// cuDNN calls count as one launch each), host synchronisations (every point where the host waits for the device:
/// a download, an explicit synchronise, an upload that found every pinned staging buffer busy; an ordinary upload is
/// not one), allocations obtained from the driver (the caching allocator's misses),
/// and bytes copied each way. Counts, not times: tests may assert them. The CPU backend reports zeros.
/// Subtract two snapshots to get the counts of the work in between.</summary>
public readonly record struct DeviceCounters(long Launches, long HostSyncs, long DriverAllocations, long BytesToDevice, long BytesFromDevice)
{
    public static DeviceCounters operator -(DeviceCounters a, DeviceCounters b) =>
        new(a.Launches - b.Launches, a.HostSyncs - b.HostSyncs, a.DriverAllocations - b.DriverAllocations,
            a.BytesToDevice - b.BytesToDevice, a.BytesFromDevice - b.BytesFromDevice);

    public override string ToString() =>
        $"launches {Launches}, host syncs {HostSyncs}, driver allocations {DriverAllocations}, bytes to device {BytesToDevice}, bytes from device {BytesFromDevice}";
}
