namespace GanAudio.Kernels;

/// <summary>The one place kernel symbols are built: <c>&lt;op&gt;_&lt;fwd|bwd&gt;_&lt;f32|f64&gt;</c>.</summary>
public static class KernelNames
{
    public static string Forward(string op, DType dtype) => $"{op}_fwd_{dtype.Suffix()}";

    public static string Backward(string op, DType dtype) => $"{op}_bwd_{dtype.Suffix()}";

    /// <summary>Kernels that are neither forward nor backward (copy, fill, random): <c>&lt;op&gt;_&lt;dtype&gt;</c>.</summary>
    public static string Plain(string op, DType dtype) => $"{op}_{dtype.Suffix()}";

    /// <summary>snake_case of an enum member name: <c>LeakyRelu</c> → <c>leaky_relu</c>.</summary>
    public static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
