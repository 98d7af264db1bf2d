using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

public sealed unsafe partial class CudaBackend
{
    private readonly object blasGate = new();
    private Cublas? blas;
    private nint blasHandle;

    private (Cublas Blas, nint Handle) Blas()
    {
        lock (blasGate)
        {
            if (blas == null)
            {
                var b = Cublas.Load(search);
                Dev.MakeCurrent();
                nint h;
                b.Check(b.cublasCreate_v2(&h));
                b.Check(b.cublasSetStream_v2(h, Dev.Stream));
                b.Check(b.cublasSetMathMode(h, CublasMathModeFor(precision, ComputeCapability)));  // TF32 or full fp32, CudaBackend.Precision.cs
                blasHandle = h;
                blas = b;
            }
            return (blas, blasHandle);
        }
    }

    /// <summary>Row-major batched GEMM through column-major cuBLAS: a row-major C[M,N] is a column-major Cᵀ[N,M], and
    /// Cᵀ = op(B)ᵀ·op(A)ᵀ, so cuBLAS is called with the operands swapped (B first), m = N, n = M and the row-major
    /// leading dimensions. Writes C = α·op(A)·op(B) + β·C (C is not read when β = 0).</summary>
    public void Gemm(in GemmArgs g, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c)
    {
        var A = Cu(a);
        var B = Cu(b);
        var C = Cu(c);
        if (A.DType != C.DType || B.DType != C.DType) throw new ArgumentException($"gemm: dtypes differ ({A.DType}, {B.DType}, {C.DType})");
        if (g.M == 0 || g.N == 0 || g.Batch == 0) return;
        var (bl, h) = Blas();
        Dev.MakeCurrent();
        int opA = g.TransA ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N, opB = g.TransB ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N;
        int lda = g.TransA ? g.M : g.K, ldb = g.TransB ? g.K : g.N, ldc = g.N;
        lda = Math.Max(1, lda);
        ldb = Math.Max(1, ldb);
        ulong pa = A.At(g.OffsetA), pb = B.At(g.OffsetB), pc = C.At(g.OffsetC);
        Dev.Counters.Launch();  // one cuBLAS call
        if (C.DType == DType.Float32)
        {
            float alpha = (float)g.Alpha, beta = (float)g.Beta;
            if (g.Batch == 1)
                bl.Check(bl.cublasSgemm_v2(h, opB, opA, g.N, g.M, g.K, &alpha, pb, ldb, pa, lda, &beta, pc, ldc));
            else
                bl.Check(bl.cublasSgemmStridedBatched(h, opB, opA, g.N, g.M, g.K, &alpha, pb, ldb, g.StrideB, pa, lda, g.StrideA,
                    &beta, pc, ldc, g.StrideC, g.Batch));
        }
        else if (C.DType == DType.Float64)
        {
            double alpha = g.Alpha, beta = g.Beta;
            if (g.Batch == 1)
                bl.Check(bl.cublasDgemm_v2(h, opB, opA, g.N, g.M, g.K, &alpha, pb, ldb, pa, lda, &beta, pc, ldc));
            else
                bl.Check(bl.cublasDgemmStridedBatched(h, opB, opA, g.N, g.M, g.K, &alpha, pb, ldb, g.StrideB, pa, lda, g.StrideA,
                    &beta, pc, ldc, g.StrideC, g.Batch));
        }
        else throw DTypeExtensions.Unsupported(C.DType, "gemm");
    }
}
