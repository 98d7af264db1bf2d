namespace GanAudio.Kernels;

/// <summary>Row-major batched GEMM: for each batch b,
/// <c>C_b[M,N] = Alpha · op(A_b)[M,K] · op(B_b)[K,N] + Beta · C_b</c>, where op transposes when asked.
/// A_b starts at <c>OffsetA + b·StrideA</c> and is stored [M,K] (or [K,M] when TransA), densely; likewise B and C.
/// A batch stride of 0 reuses one matrix for every batch.</summary>
public readonly record struct GemmArgs(
    bool TransA, bool TransB, int M, int N, int K,
    double Alpha = 1.0, double Beta = 0.0,
    int Batch = 1, long StrideA = 0, long StrideB = 0, long StrideC = 0,
    long OffsetA = 0, long OffsetB = 0, long OffsetC = 0)
{
    public long Flops => 2L * M * N * K * Batch;
}
