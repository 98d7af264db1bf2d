namespace GanAudio.Kernels;

/// <summary>Element type of a buffer. Float64 exists for gradient checks and references.</summary>
public enum DType
{
    Float32,
    Float64,

    /// <summary>Declared for the vocabulary (mixed precision is future work) but supported by no kernel or backend yet:
    /// every entry point that meets it throws <see cref="NotSupportedException"/> naming the op (see
    /// <see cref="DTypeExtensions.Unsupported"/>); nothing treats it as float64.</summary>
    BFloat16,
}

public static class DTypeExtensions
{
    /// <summary>Size of one element in bytes (float32 4, float64 8; throws for a dtype no kernel supports).</summary>
    public static int Size(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        _ => throw Unsupported(dtype, "element size"),
    };

    /// <summary>Suffix used in kernel symbols: <c>f32</c> or <c>f64</c>.</summary>
    public static string Suffix(this DType dtype) => dtype switch
    {
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        _ => throw Unsupported(dtype, "kernel name"),
    };

    /// <summary>Whether kernels exist for the dtype (float32 and float64).</summary>
    public static bool IsSupported(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The one error for a dtype an operation does not support: "op: dtype X is not supported (float32 and
    /// float64 are)". Returned so call sites write <c>throw DTypeExtensions.Unsupported(t, "op")</c> in a switch's default.</summary>
    public static NotSupportedException Unsupported(DType dtype, string op) =>
        new($"{op}: dtype {dtype} is not supported (only Float32 and Float64 have kernels)");

    /// <summary>Throws <see cref="Unsupported"/> unless the dtype is float32 or float64; returns it otherwise (dispatch checks).</summary>
    public static DType RequireSupported(this DType dtype, string op) => dtype.IsSupported() ? dtype : throw Unsupported(dtype, op);
}
