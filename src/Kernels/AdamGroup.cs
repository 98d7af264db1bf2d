namespace GanAudio.Kernels;

/// <summary>One tensor of a multi-tensor Adam step (<see cref="IBackend.AdamStepMulti"/>): the first
/// <paramref name="Count"/> elements of param, grad, m, v (and vMax with AMSGrad), all contiguous and of one dtype.</summary>
public readonly record struct AdamGroup(DeviceBuffer Param, DeviceBuffer Grad, DeviceBuffer M, DeviceBuffer V, DeviceBuffer? VMax, int Count)
{
    /// <summary>Checks a call's groups once: one dtype, buffers long enough, and either every group has vMax (AMSGrad) or
    /// none does. Returns the dtype and whether AMSGrad is on (Float32, false for an empty list).</summary>
    internal static (DType DType, bool AmsGrad) Validate(IReadOnlyList<AdamGroup> groups, string op)
    {
        if (groups.Count == 0) return (DType.Float32, false);
        var t = groups[0].Param.DType;
        bool ams = groups[0].VMax is not null;
        for (int k = 0; k < groups.Count; k++)
        {
            var g = groups[k];
            if (g.Count < 0) throw new ArgumentOutOfRangeException(nameof(groups), $"{op}: group {k} has a negative count {g.Count}");
            if ((g.VMax is not null) != ams)
                throw new ArgumentException($"{op}: group {k} {(ams ? "lacks" : "has")} vMax; AMSGrad must be on or off for every group");
            foreach (var b in new[] { g.Param, g.Grad, g.M, g.V, g.VMax })
            {
                if (b is null) continue;
                if (b.DType != t) throw new ArgumentException($"{op}: group {k}: dtypes differ ({t}, {b.DType})");
                if (b.Length < g.Count)
                    throw new ArgumentOutOfRangeException(nameof(groups), $"{op}: group {k}: {g.Count} elements outside a buffer of {b.Length}");
            }
        }
        return (t, ams);
    }
}
