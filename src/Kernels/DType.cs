namespace GanAudio.Kernels;

/// <summary>Element type of a buffer. Float64 exists for gradient checks and references.</summary>
public enum DType
{
    Float32,
    Float64,
}

public static class DTypeExtensions
{
    /// <summary>Size of one element in bytes.</summary>
    public static int Size(this DType dtype) => dtype == DType.Float32 ? 4 : 8;

    /// <summary>Suffix used in kernel symbols: <c>f32</c> or <c>f64</c>.</summary>
    public static string Suffix(this DType dtype) => dtype == DType.Float32 ? "f32" : "f64";
}
