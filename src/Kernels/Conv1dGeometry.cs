namespace GanAudio.Kernels;

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
