namespace GanAudio.Kernels;

/// <summary>An upload issued ahead of use (<see cref="IBackend.UploadAhead(ReadOnlySpan{float}, DeviceBuffer)"/>): pass it
/// to <see cref="IBackend.AwaitUpload"/> before the destination is used. <see cref="Id"/> 0 is an upload that has already
/// completed (the CPU's, and empty copies).</summary>
public readonly record struct UploadFence(long Id)
{
    public static UploadFence Completed => default;
}
