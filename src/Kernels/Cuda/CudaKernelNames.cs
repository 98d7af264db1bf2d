namespace GanAudio.Kernels.Cuda;

/// <summary>The kernels that are one per dtype and not indexed by an op enum (their symbols: <see cref="CudaKernelNames.Plain"/>).</summary>
public enum CudaKernel
{
    Fill,
    Arange,
    RandomUniform,
    RandomNormal,
    Conv1dIm2col,
    Conv1dCol2im,
    Conv1dBias,
    AdamStep,
    PhaseShuffleFwd,
    PhaseShuffleBwd,
    AdamStepMulti,
    BiasLeakyRelu,
    PerExampleNorm,
}

/// <summary>The CUDA symbol of each backend op, built with <see cref="KernelNames"/> (the one naming helper).
/// UnaryOp.Pow is <c>pow_scalar_fwd</c> because <c>pow_fwd</c> is BinaryOp.Pow; *Bwd binary ops are <c>&lt;op&gt;_bwd</c>.</summary>
public static partial class CudaKernelNames
{
    public const string ElementwiseFile = "elementwise.cu", ReduceFile = "reduce.cu", CopyFile = "copy.cu", RandomFile = "random.cu",
        LinearFile = "linear.cu", ConvFile = "conv.cu", OptimFile = "optim.cu",
        PhaseShuffleFile = "phase_shuffle.cu";

    public static string Unary(UnaryOp op, DType t) =>
        KernelNames.Forward(op == UnaryOp.Pow ? "pow_scalar" : KernelNames.Snake(op.ToString()), t);

    public static string Binary(BinaryOp op, DType t)
    {
        var name = op.ToString();
        return name.EndsWith("Bwd", StringComparison.Ordinal)
            ? KernelNames.Backward(KernelNames.Snake(name[..^3]), t)
            : KernelNames.Forward(KernelNames.Snake(name), t);
    }

    public static string Reduce(ReduceOp op, DType t) => KernelNames.Forward(KernelNames.Snake(op.ToString()), t);

    /// <summary>copy_&lt;src&gt;_&lt;dst&gt;: strided gather converting src dtype to dst dtype.</summary>
    public static string Copy(DType src, DType dst) => KernelNames.Plain("copy_" + src.Suffix(), dst);

    /// <summary>copy_strided_&lt;src&gt;_&lt;dst&gt;: strided gather from src and strided scatter into dst in one kernel.</summary>
    public static string CopyStrided(DType src, DType dst) => KernelNames.Plain("copy_strided_" + src.Suffix(), dst);

    /// <summary>conv1d_im2col: x [nb, CIn, LIn] → col [nb, CIn·K, LOut] (zeros at padding).</summary>
    public static string Conv1dIm2col(DType t) => KernelNames.Plain("conv1d_im2col", t);

    /// <summary>conv1d_col2im: gcol [nb, CIn·K, LOut] → gx [nb, CIn, LIn], a gather per input element.</summary>
    public static string Conv1dCol2im(DType t) => KernelNames.Plain("conv1d_col2im", t);

    /// <summary>conv1d_bias: y[b, o, t] += bias[o].</summary>
    public static string Conv1dBias(DType t) => KernelNames.Plain("conv1d_bias", t);

    /// <summary>adam_step: the fused Adam update (see <see cref="AdamArgs"/>).</summary>
    public static string AdamStep(DType t) => KernelNames.Plain("adam_step", t);

    public static string Fill(DType t) => KernelNames.Plain("fill", t);

    public static string Arange(DType t) => KernelNames.Plain("arange", t);

    public static string RandomUniform(DType t) => KernelNames.Plain("random_uniform", t);

    public static string RandomNormal(DType t) => KernelNames.Plain("random_normal", t);

    /// <summary>The embedded file and symbol of <paramref name="k"/> for dtype <paramref name="t"/>.</summary>
    public static (string File, string Kernel) Plain(CudaKernel k, DType t) => k switch
    {
        CudaKernel.Fill => (CopyFile, Fill(t)),
        CudaKernel.Arange => (CopyFile, Arange(t)),
        CudaKernel.RandomUniform => (RandomFile, RandomUniform(t)),
        CudaKernel.RandomNormal => (RandomFile, RandomNormal(t)),
        CudaKernel.Conv1dIm2col => (ConvFile, Conv1dIm2col(t)),
        CudaKernel.Conv1dCol2im => (ConvFile, Conv1dCol2im(t)),
        CudaKernel.Conv1dBias => (ConvFile, Conv1dBias(t)),
        CudaKernel.AdamStep => (OptimFile, AdamStep(t)),
        CudaKernel.PhaseShuffleFwd => (PhaseShuffleFile, PhaseShuffle(false, t)),
        CudaKernel.PhaseShuffleBwd => (PhaseShuffleFile, PhaseShuffle(true, t)),
        CudaKernel.AdamStepMulti => (FusedFile, AdamStepMulti(t)),
        CudaKernel.BiasLeakyRelu => (FusedFile, BiasLeakyRelu(t)),
        CudaKernel.PerExampleNorm => (FusedFile, PerExampleNorm(t)),
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, null),
    };

    /// <summary>phase_shuffle_fwd: y[b, c, t] = x[b, c, refl(t − s_b)]; phase_shuffle_bwd: its adjoint, a gather.</summary>
    public static string PhaseShuffle(bool backward, DType t) =>
        backward ? KernelNames.Backward("phase_shuffle", t) : KernelNames.Forward("phase_shuffle", t);
}
