namespace GanAudio.Kernels;

/// <summary>The size classes of the caching allocators (CPU pool and CUDA): 512-byte steps up to 1 MiB, then 1 MiB steps.
/// A freed block serves any later request of the same class.</summary>
public static class MemoryBuckets
{
    public const long SmallStep = 512, LargeStep = 1 << 20;

    /// <summary>The class (block size in bytes) a request of <paramref name="bytes"/> bytes is served from.</summary>
    public static long Round(long bytes) =>
        bytes <= LargeStep ? Math.Max(SmallStep, (bytes + SmallStep - 1) / SmallStep * SmallStep) : (bytes + LargeStep - 1) / LargeStep * LargeStep;
}
