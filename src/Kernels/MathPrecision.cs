namespace GanAudio.Kernels;

/// <summary>How float32 matrix products and convolutions may be computed on a GPU (shared vocabulary, like <see cref="DType"/>).
/// <see cref="Tf32"/> lets cuBLAS and cuDNN use TF32 tensor cores on sm_80 and newer (inputs rounded to a 10-bit mantissa,
/// fp32 accumulation; PyTorch's <c>torch.backends.cudnn.allow_tf32 = True</c> / <c>torch.backends.cuda.matmul.allow_tf32 = True</c>);
/// <see cref="Fp32"/> keeps full fp32 (PyTorch's <c>torch.set_float32_matmul_precision("highest")</c> with
/// <c>allow_tf32 = False</c>). float64 is never computed in TF32, and the CPU is unaffected.</summary>
public enum MathPrecision
{
    /// <summary>Full fp32 (FMA) for float32 GEMM and convolution.</summary>
    Fp32,

    /// <summary>TF32 tensor cores allowed for float32 GEMM and convolution on sm_80 and newer (no effect below).</summary>
    Tf32,
}
