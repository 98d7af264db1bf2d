namespace GanAudio.Kernels;

public enum DeviceType
{
    Cpu,
    Cuda,
}

/// <summary>A compute device: <c>cpu</c> or <c>cuda:N</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    public static Device Cpu => new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda" || t == "gpu") return Cuda();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out int i) && i >= 0) return Cuda(i);
        throw new FormatException($"unknown device '{text}': use cpu, cuda or cuda:N");
    }
}
