namespace GanAudio.Kernels;

/// <summary>Maximum tensor rank the strided kernels accept.</summary>
public static class Limits
{
    public const int MaxRank = 8;
}
