using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

internal sealed record ConvAttrs(int Stride, int Padding, int OutLength);

public sealed partial class Tensor
{
    /// <summary>The output length of <see cref="Conv1d"/> for an input of length <paramref name="length"/>:
    /// (L + 2p − K)/s + 1, as torch.nn.Conv1d gives it (dilation 1).</summary>
    public static int Conv1dOutputLength(int length, int kernel, int stride, int padding) =>
        Conv1dGeometry.OutputLength(length, kernel, stride, padding);

    /// <summary>The output length of <see cref="ConvTranspose1d"/>: (L − 1)·s − 2p + K + outputPadding, as
    /// torch.nn.ConvTranspose1d gives it (dilation 1).</summary>
    public static int ConvTranspose1dOutputLength(int length, int kernel, int stride, int padding, int outputPadding = 0) =>
        Conv1dGeometry.TransposeOutputLength(length, kernel, stride, padding, outputPadding);

    /// <summary>1-D convolution (torch.nn.functional.conv1d, dilation 1, groups 1): x [B, Cin, L], w [Cout, Cin, K],
    /// bias [Cout] or null → [B, Cout, (L + 2p − K)/s + 1].</summary>
    public static Tensor Conv1d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        CheckConvOperands("Conv1d", x, w, bias, x.Rank == 3 ? x.Shape[1] : -1, w.Rank == 3 ? w.Shape[0] : -1);
        if (stride <= 0 || padding < 0) throw TensorShapeException.For("Conv1d", $"stride {stride} must be positive and padding {padding} non-negative", x.Shape, w.Shape);
        // (L + 2p − K) / s rounds toward zero in C#, so a negative span must be caught before dividing
        int lOut = x.Shape[2] + 2 * padding < w.Shape[2] ? 0 : Conv1dGeometry.OutputLength(x.Shape[2], w.Shape[2], stride, padding);
        if (lOut <= 0) throw TensorShapeException.For("Conv1d", $"input length {x.Shape[2]} is too short for kernel {w.Shape[2]} with padding {padding}", x.Shape, w.Shape);
        var g = new Conv1dGeometry(x.Shape[0], x.Shape[1], w.Shape[0], x.Shape[2], lOut, w.Shape[2], stride, padding);
        var y = Empty([g.Batch, g.COut, g.LOut], x.DType, x.Device);
        using (var xs = new DenseSet(x, w, bias))
            if (y.Numel > 0) x.Backend.Conv1dForward(g, xs[0].Buffer, xs[1].Buffer, bias is null ? null : xs[2].Buffer, y.Buffer);
        var attrs = new ConvAttrs(stride, padding, lOut);
        return bias is null ? Recorder.Record(y, OpKind.Conv1d, attrs, x, w) : Recorder.Record(y, OpKind.Conv1d, attrs, x, w, bias);
    }

    /// <summary>Transposed 1-D convolution (torch.nn.functional.conv_transpose1d): x [B, Cin, L], w [Cin, Cout, K]
    /// → [B, Cout, (L − 1)·s − 2p + K + outputPadding].</summary>
    public static Tensor ConvTranspose1d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0)
    {
        if (outputPadding < 0 || outputPadding >= Math.Max(stride, 1))
            throw new TensorShapeException($"ConvTranspose1d: output padding {outputPadding} must be in [0, stride {stride})");
        int k = w.Rank == 3 ? w.Shape[2] : 0;
        int lOut = Conv1dGeometry.TransposeOutputLength(x.Rank == 3 ? x.Shape[2] : 0, k, stride, padding, outputPadding);
        return ConvTranspose1dTo(x, w, bias, stride, padding, lOut);
    }

    /// <summary>The transposed convolution producing an output of exactly <paramref name="outLength"/> samples
    /// (the input gradient of a conv1d whose input had that length).</summary>
    internal static Tensor ConvTranspose1dTo(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outLength)
    {
        CheckConvOperands("ConvTranspose1d", x, w, bias, x.Rank == 3 ? x.Shape[1] : -1, w.Rank == 3 ? w.Shape[1] : -1);
        var g = new Conv1dGeometry(x.Shape[0], w.Shape[1], w.Shape[0], outLength, x.Shape[2], w.Shape[2], stride, padding);
        if (outLength <= 0 || Conv1dGeometry.OutputLength(outLength, g.Kernel, stride, padding) != x.Shape[2])
            throw TensorShapeException.For("ConvTranspose1d", $"output length {outLength} does not match input length {x.Shape[2]}", x.Shape, w.Shape);
        var y = Empty([g.Batch, g.CIn, outLength], x.DType, x.Device);
        using (var xs = new DenseSet(x, w, bias))
        {
            if (y.Numel > 0) x.Backend.Conv1dBackwardData(g, xs[0].Buffer, xs[1].Buffer, y.Buffer);
            if (bias is not null && y.Numel > 0)
            {
                var shape = y.Shape;
                var bOp = new StridedOperand(xs[2].Buffer, 0, [0, 1, 0]);
                x.Backend.Binary(BinaryOp.Add, y.Operand(), bOp, y.Buffer, shape);
            }
        }
        var attrs = new ConvAttrs(stride, padding, outLength);
        return bias is null ? Recorder.Record(y, OpKind.ConvTranspose1d, attrs, x, w) : Recorder.Record(y, OpKind.ConvTranspose1d, attrs, x, w, bias);
    }

    /// <summary>The weight gradient of conv1d: ∂⟨gy, conv1d(x, w)⟩/∂w for x [B, Cin, L], gy [B, Cout, Lout] → [Cout, Cin, K].</summary>
    public static Tensor Conv1dWeightGrad(Tensor x, Tensor gy, int kernel, int stride, int padding)
    {
        CheckSame("Conv1dWeightGrad", x, gy);
        if (x.Rank != 3 || gy.Rank != 3 || x.Shape[0] != gy.Shape[0])
            throw TensorShapeException.For("Conv1dWeightGrad", "needs x [B, Cin, L] and gy [B, Cout, Lout]", x.Shape, gy.Shape);
        var g = new Conv1dGeometry(x.Shape[0], x.Shape[1], gy.Shape[1], x.Shape[2], gy.Shape[2], kernel, stride, padding);
        if (Conv1dGeometry.OutputLength(g.LIn, kernel, stride, padding) < g.LOut)
            throw TensorShapeException.For("Conv1dWeightGrad", "gy is longer than the convolution of x gives", x.Shape, gy.Shape);
        var y = Empty([g.COut, g.CIn, kernel], x.DType, x.Device);
        using (var xs = new DenseSet(x, gy, null))
            x.Backend.Conv1dBackwardWeight(g, xs[0].Buffer, xs[1].Buffer, y.Buffer);
        return Recorder.Record(y, OpKind.Conv1dWeightGrad, new ConvAttrs(stride, padding, kernel), x, gy);
    }

    private static void CheckConvOperands(string op, Tensor x, Tensor w, Tensor? bias, int xChannels, int wChannels)
    {
        CheckSame(op, x, w);
        if (x.Rank != 3 || w.Rank != 3) throw TensorShapeException.For(op, "needs x [B, C, L] and a 3-D weight", x.Shape, w.Shape);
        if (xChannels != (op == "Conv1d" ? w.Shape[1] : w.Shape[0]))
            throw TensorShapeException.For(op, "input channels do not match the weight", x.Shape, w.Shape);
        if (bias is not null)
        {
            CheckSame(op, x, bias);
            if (bias.Rank != 1 || bias.Shape[0] != wChannels) throw TensorShapeException.For(op, $"bias must be [{wChannels}]", bias.Shape, w.Shape);
        }
    }

    /// <summary>Dense (contiguous, offset 0) versions of a few operands, disposing temporary copies at the end.</summary>
    private readonly struct DenseSet : IDisposable
    {
        private readonly Tensor?[] dense;
        private readonly bool[] tmp;

        public DenseSet(params Tensor?[] ts)
        {
            dense = new Tensor?[ts.Length];
            tmp = new bool[ts.Length];
            for (int i = 0; i < ts.Length; i++)
                if (ts[i] is { } t) dense[i] = t.Dense(out tmp[i]);
        }

        public Tensor this[int i] => dense[i]!;

        public void Dispose()
        {
            for (int i = 0; i < dense.Length; i++)
                if (tmp[i]) dense[i]!.Dispose();
        }
    }
}
