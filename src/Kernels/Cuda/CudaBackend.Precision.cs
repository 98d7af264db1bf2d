using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>TF32 for float32 GEMM (cuBLAS math mode) and convolution (cuDNN math type): on only when
/// <see cref="Precision"/> is <see cref="MathPrecision.Tf32"/> and the device is sm_80 or newer, as PyTorch's
/// <c>allow_tf32</c> flags. float64 is never TF32 (cuBLAS and cuDNN ignore the mode for doubles).</summary>
public sealed unsafe partial class CudaBackend
{
    private volatile MathPrecision precision = MathPrecision.Fp32;

    /// <summary>The float32 precision of GEMM and convolution. Default <see cref="MathPrecision.Fp32"/> on a bare backend
    /// (results comparable with the CPU reference); the Tensor layer sets it from <c>Devices.Precision</c> and GanApp from
    /// <c>--precision</c> (default tf32). Takes effect for the next call.</summary>
    public MathPrecision Precision
    {
        get => precision;
        set
        {
            lock (blasGate)
            {
                precision = value;
                if (blas != null) blas.Check(blas.cublasSetMathMode(blasHandle, CublasMathModeFor(value, ComputeCapability)));
            }
        }
    }

    /// <summary>Whether float32 GEMM and convolution run in TF32 now: <see cref="MathPrecision.Tf32"/> on sm_80+.</summary>
    public bool Tf32Active => UsesTf32(Precision, ComputeCapability);

    internal static bool UsesTf32(MathPrecision p, int computeCapability) => p == MathPrecision.Tf32 && computeCapability >= 80;

    /// <summary>cublasSetMathMode's argument: CUBLAS_TF32_TENSOR_OP_MATH (3) with TF32, else CUBLAS_DEFAULT_MATH (0), which
    /// in CUDA 11+ means full fp32 for SGEMM (PyTorch sets the same two values).</summary>
    internal static int CublasMathModeFor(MathPrecision p, int computeCapability) =>
        UsesTf32(p, computeCapability) ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH;

    /// <summary>cudnnSetConvolutionMathType's argument for float32 data: CUDNN_DEFAULT_MATH (0) with TF32 (on sm_80+ it
    /// permits TF32 tensor-core kernels), else CUDNN_FMA_MATH (3), which restricts cuDNN to FMA kernels (PyTorch's choice
    /// when <c>allow_tf32</c> is off). float64: CUDNN_DEFAULT_MATH (no tensor-core down-conversion exists for doubles).</summary>
    internal static int CudnnMathTypeFor(MathPrecision p, int computeCapability, DType t) =>
        t == DType.Float32 && !UsesTf32(p, computeCapability) ? Cudnn.CUDNN_FMA_MATH : Cudnn.CUDNN_DEFAULT_MATH;

    /// <summary>The math mode the cuBLAS handle reports (cublasGetMathMode), creating the handle if needed (tests).</summary>
    internal int CublasMathMode
    {
        get
        {
            var (b, h) = Blas();
            int mode;
            b.Check(b.cublasGetMathMode(h, &mode));
            return mode;
        }
    }
}
