namespace GanAudio.Kernels.Cuda;

public static partial class CudaKernelNames
{
    public const string FusedFile = "fused.cu";

    /// <summary>adam_step_multi: the Adam update over a device table of tensors and chunks (see <see cref="IBackend.AdamStepMulti"/>).</summary>
    public static string AdamStepMulti(DType t) => KernelNames.Plain("adam_step_multi", t);

    /// <summary>bias_leaky_relu_fwd: y = leaky(x + bias[c]) (see <see cref="IBackend.BiasLeakyRelu"/>).</summary>
    public static string BiasLeakyRelu(DType t) => KernelNames.Forward("bias_leaky_relu", t);

    /// <summary>per_example_norm_fwd: y[r] = √(Σ x[r, ·]² + ε) (see <see cref="IBackend.PerExampleNorm"/>).</summary>
    public static string PerExampleNorm(DType t) => KernelNames.Forward("per_example_norm", t);
}
