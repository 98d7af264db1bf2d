using GanAudio.Kernels;

namespace GanAudio.Nn.Checkpoints;

/// <summary>The dtype names of the safetensors format (as PyTorch and Python's <c>safetensors</c> spell them) for the
/// dtypes we store: F32 and F64.</summary>
public static class SafetensorsDType
{
    /// <summary>The name written in a file's header: F32 or F64.</summary>
    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        _ => throw DTypeExtensions.Unsupported(dtype, "safetensors save"),
    };

    /// <summary>The dtype of a header's name; false for names we do not read (F16, BF16, integers, …).</summary>
    public static bool TryParse(string? name, out DType dtype)
    {
        dtype = name == "F64" ? DType.Float64 : DType.Float32;
        return name is "F32" or "F64";
    }
}
