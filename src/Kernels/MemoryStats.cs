namespace GanAudio.Kernels;

/// <summary>What one device's allocator holds, in bytes (bucket sizes, so a little above the tensors' own bytes):
/// <see cref="LiveBytes"/> handed out to buffers now, <see cref="PeakLiveBytes"/> the most ever handed out at once since
/// the last reset, <see cref="CachedBytes"/> freed and kept for reuse, <see cref="ReservedBytes"/> = live + cached (what
/// the process holds for tensors), <see cref="PeakReservedBytes"/> its highest value. Like PyTorch's
/// torch.cuda.memory_allocated / max_memory_allocated / memory_reserved / max_memory_reserved.</summary>
public readonly record struct MemoryStats(long LiveBytes, long PeakLiveBytes, long CachedBytes, long ReservedBytes, long PeakReservedBytes)
{
    public override string ToString() =>
        FormattableString.Invariant($"live {LiveBytes / 1048576.0:F1} MiB (peak {PeakLiveBytes / 1048576.0:F1}), cached {CachedBytes / 1048576.0:F1} MiB, reserved {ReservedBytes / 1048576.0:F1} MiB (peak {PeakReservedBytes / 1048576.0:F1})");
}
