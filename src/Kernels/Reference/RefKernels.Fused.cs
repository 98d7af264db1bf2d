namespace GanAudio.Kernels.Reference;

/// <summary>Scalar twins of the fused kernels (<see cref="IBackend.AdamStepMulti"/>, <see cref="IBackend.BiasLeakyRelu"/>,
/// <see cref="IBackend.PerExampleNorm"/>).</summary>
public static partial class RefKernels
{
    /// <summary>One reference Adam group: the first <paramref name="Count"/> elements of each array.</summary>
    public sealed record AdamRefGroup(double[] P, double[] G, double[] M, double[] V, double[]? VMax, int Count);

    /// <summary>AdamStepMulti: <see cref="AdamStep"/> on every group in turn.</summary>
    public static void AdamStepMulti(IReadOnlyList<AdamRefGroup> groups, in AdamArgs a)
    {
        foreach (var g in groups) AdamStep(g.P, g.G, g.M, g.V, g.VMax, g.Count, a);
    }

    /// <summary>BiasLeakyRelu: y[o, c, i] = z if z &gt; 0 else α·z, z = x[o, c, i] + bias[c]; x and y are [outer, channels, inner].</summary>
    public static void BiasLeakyRelu(double[] x, double[] bias, double[] y, int outer, int channels, int inner, double alpha)
    {
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < inner; i++)
        {
            long at = ((long)o * channels + c) * inner + i;
            double z = x[at] + bias[c];
            y[at] = z > 0 ? z : alpha * z;
        }
    }

    /// <summary>PerExampleNorm: y[r] = √(Σⱼ x[r, j]² + ε) over rows of n elements, accumulated in double.</summary>
    public static void PerExampleNorm(double[] x, double[] y, int rows, int n, double eps)
    {
        for (int r = 0; r < rows; r++)
        {
            double acc = 0;
            for (int j = 0; j < n; j++)
            {
                double v = x[(long)r * n + j];
                acc += v * v;
            }
            y[r] = Math.Sqrt(acc + eps);
        }
    }
}
