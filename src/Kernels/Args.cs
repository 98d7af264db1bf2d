namespace GanAudio.Kernels;

/// <summary>Maximum tensor rank the strided kernels accept.</summary>
public static class Limits
{
    public const int MaxRank = 8;
}

/// <summary>An operand of a strided kernel: element <c>idx</c> of the logical shape lives at
/// <c>Offset + Σ idx[d]·Strides[d]</c> in <see cref="Buffer"/>. A stride of 0 broadcasts.</summary>
public readonly record struct StridedOperand(DeviceBuffer Buffer, int Offset, int[] Strides);

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

/// <summary>Geometry of a 1-D convolution (dilation 1, groups 1), PyTorch layout:
/// x [Batch, CIn, LIn], w [COut, CIn, Kernel], y [Batch, COut, LOut] with
/// <c>y[b,o,t] = Σ_c Σ_k w[o,c,k] · x[b,c,t·Stride + k − Padding]</c> (+ bias[o]).
/// LIn may exceed what LOut needs (conv-transpose with output padding): the extra inputs get zero gradient.</summary>
public readonly record struct Conv1dGeometry(int Batch, int CIn, int COut, int LIn, int LOut, int Kernel, int Stride, int Padding)
{
    /// <summary>The output length PyTorch's conv1d gives for an input of length lIn.</summary>
    public static int OutputLength(int lIn, int kernel, int stride, int padding) => (lIn + 2 * padding - kernel) / stride + 1;

    /// <summary>The output length of conv_transpose1d: (lIn − 1)·stride − 2·padding + kernel + outputPadding.</summary>
    public static int TransposeOutputLength(int lIn, int kernel, int stride, int padding, int outputPadding) =>
        (lIn - 1) * stride - 2 * padding + kernel + outputPadding;

    public long Flops => 2L * Batch * COut * LOut * CIn * Kernel;

    public void Validate()
    {
        if (Batch < 0 || CIn <= 0 || COut <= 0 || LIn < 0 || LOut < 0 || Kernel <= 0 || Stride <= 0 || Padding < 0)
            throw new ArgumentException($"invalid conv1d geometry {this}");
        if (LOut > 0 && (LOut - 1) * Stride + Kernel - Padding > LIn + Padding)
            throw new ArgumentException($"conv1d geometry {this}: LOut={LOut} needs more input than LIn={LIn} with padding {Padding}");
    }
}

/// <summary>One Adam update (torch.optim.Adam, single-tensor form) for step <c>t</c>:
/// g' = g + WeightDecay·p; m ← m + (1 − β1)(g' − m); v ← β2·v + (1 − β2)·g'²; v̂ = max(vmax, v) with AMSGrad (vmax updated)
/// else v; p ← p − StepSize · m / (√v̂ / Bc2Sqrt + Eps), where StepSize = lr / (1 − β1ᵗ) and Bc2Sqrt = √(1 − β2ᵗ).</summary>
public readonly record struct AdamArgs(double StepSize, double Beta1, double Beta2, double Eps, double WeightDecay, double Bc2Sqrt)
{
    public static AdamArgs For(double lr, double beta1, double beta2, double eps, double weightDecay, long step) =>
        new(lr / (1 - Math.Pow(beta1, step)), beta1, beta2, eps, weightDecay, Math.Sqrt(1 - Math.Pow(beta2, step)));
}
