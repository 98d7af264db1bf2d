using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;

namespace GanAudio.Tensors;

/// <summary>Maps a <see cref="Device"/> to its backend. The CPU is always there; other devices register a factory.</summary>
public static class Devices
{
    private static readonly Dictionary<DeviceType, Func<int, IBackend>> Factories = new();
    private static readonly Dictionary<Device, IBackend> Cache = new();

    /// <summary>Registers how to create the backend of a device type (the CUDA backend does this).</summary>
    public static void Register(DeviceType type, Func<int, IBackend> factory)
    {
        lock (Cache) Factories[type] = factory;
    }

    public static IBackend Backend(Device device)
    {
        if (device.Type == DeviceType.Cpu) return CpuBackend.Instance;
        lock (Cache)
        {
            if (Cache.TryGetValue(device, out var b)) return b;
            if (!Factories.TryGetValue(device.Type, out var f))
                throw new InvalidOperationException($"device {device} is not available in this build; use --device cpu");
            b = f(device.Index);
            Cache[device] = b;
            return b;
        }
    }
}
