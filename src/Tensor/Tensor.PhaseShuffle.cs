using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

/// <summary>The shifts of a phase shuffle, one per example.</summary>
internal sealed record ShiftAttrs(int[] Shifts);

public sealed partial class Tensor
{
    /// <summary>WaveGAN's phase shuffle with given shifts: x [B, C, L] → y[b, c, t] = x[b, c, refl(t − shifts[b])], with
    /// reflection at the edges (refl(j) = −j below 0, 2(L − 1) − j above L − 1), i.e. in PyTorch
    /// <c>F.pad(x[b:b+1], (s, 0) or (0, −s), mode='reflect')</c> cropped back to L samples. Needs |shifts[b]| &lt; L.
    /// One kernel; its gradient is <see cref="PhaseShuffleBwd"/>.</summary>
    public static Tensor PhaseShuffle(Tensor x, int[] shifts) => ShuffleOp("PhaseShuffle", x, shifts, backward: false);

    /// <summary>The adjoint of <see cref="PhaseShuffle"/>: gx[b, c, i] = Σ over t with refl(t − shifts[b]) = i of gy[b, c, t]
    /// (a gather, deterministic). Linear in gy; its own gradient is <see cref="PhaseShuffle"/>, so gradients through a
    /// phase shuffle are differentiable again (WGAN-GP).</summary>
    public static Tensor PhaseShuffleBwd(Tensor gy, int[] shifts) => ShuffleOp("PhaseShuffleBwd", gy, shifts, backward: true);

    private static Tensor ShuffleOp(string op, Tensor x, int[] shifts, bool backward)
    {
        if (x.Rank != 3) throw TensorShapeException.For(op, "expects [B, C, L]", x.Shape);
        int b = x.Shape[0], c = x.Shape[1], len = x.Shape[2];
        if (shifts.Length != b) throw TensorShapeException.For(op, $"{shifts.Length} shifts for a batch of {b}", x.Shape);
        foreach (int s in shifts)
            if (s != 0 && Math.Abs((long)s) >= len)
                throw TensorShapeException.For(op, $"shift {s} needs a length above {Math.Abs((long)s)}", x.Shape);
        var own = (int[])shifts.Clone();
        var y = Empty(x.Shape, x.DType, x.Device);
        if (y.Numel > 0)
        {
            var xd = x.Dense(out bool tmp);
            if (backward) x.Backend.PhaseShuffleBackward(xd.Buffer, own, y.Buffer, b, c, len);
            else x.Backend.PhaseShuffleForward(xd.Buffer, own, y.Buffer, b, c, len);
            if (tmp) xd.Dispose();
        }
        return Recorder.Record(y, backward ? OpKind.PhaseShuffleBwd : OpKind.PhaseShuffle, new ShiftAttrs(own), x);
    }
}
