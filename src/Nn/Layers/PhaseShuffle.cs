using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>WaveGAN's phase shuffle (Donahue et al. 2019): during training, shifts [B, C, L] along time by a random
/// k ∈ [−n, n], filling with reflection so the length is unchanged; as in the original code one shift is drawn per batch
/// (or per example when asked). Identity in eval mode or for n = 0; in training always one kernel, a zero shift included. One kernel forward and one backward
/// (<see cref="Tensor.PhaseShuffle"/>, its adjoint <see cref="Tensor.PhaseShuffleBwd"/>), per batch and per example alike;
/// the gradient flows back through the same shift and is differentiable again (WGAN-GP).</summary>
public sealed class PhaseShuffle(int n, bool perExample = false, RandomStream? gen = null) : Module
{
    private readonly RandomStream? generator = gen;

    public int N { get; } = n >= 0 ? n : throw new ArgumentOutOfRangeException(nameof(n), n, "phase shuffle radius must be >= 0");

    public bool PerExample { get; } = perExample;

    /// <summary>The shifts applied by the last forward pass (one, or one per example); empty when it was the identity.</summary>
    public int[] LastShifts { get; private set; } = [];

    /// <summary>Total forward passes that applied a shift (for tests and logs).</summary>
    public long ShuffleCount { get; private set; }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 3) throw TensorShapeException.For("PhaseShuffle", "expects [B, C, L]", x.Shape);
        if (!Training || N == 0)
        {
            LastShifts = [];
            return x;
        }
        int draws = PerExample ? x.Shape[0] : 1;
        var shifts = DrawShifts(draws);
        LastShifts = shifts;
        ShuffleCount++;
        // one kernel even for a zero shift: every training iteration then issues the same work and the same allocations
        // (the caching allocator is warm after the first iteration; the launch count per iteration is fixed)
        return Tensor.PhaseShuffle(x, PerExample ? shifts : Enumerable.Repeat(shifts[0], x.Shape[0]).ToArray());
    }

    private int[] DrawShifts(int count)
    {
        using var u = Tensor.Rand([count], generator, dtype: Kernels.DType.Float64);
        var v = u.ToDoubleArray();
        var r = new int[count];
        for (int i = 0; i < count; i++) r[i] = Math.Min(N, (int)Math.Floor(v[i] * (2 * N + 1)) - N);
        return r;
    }

    /// <summary>y[t] = x[t − k] with reflection at the edges (tf.pad mode 'reflect'), the same k for every example.</summary>
    public static Tensor Shift(Tensor x, int k)
    {
        if (x.Rank != 3) throw TensorShapeException.For("PhaseShuffle", "expects [B, C, L]", x.Shape);
        int len = x.Shape[2];
        if (k == 0) return x;
        if (Math.Abs(k) >= len) throw TensorShapeException.For("PhaseShuffle", $"shift {k} needs a length above {Math.Abs(k)}", x.Shape);
        return Tensor.PhaseShuffle(x, Enumerable.Repeat(k, x.Shape[0]).ToArray());
    }
}
