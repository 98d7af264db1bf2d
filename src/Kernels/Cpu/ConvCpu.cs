using System.Numerics;

namespace GanAudio.Kernels.Cpu;

/// <summary>Conv1d kernels as implicit GEMMs on the blocked driver (<see cref="GemmCore"/>). No im2col matrix is built:
/// <list type="bullet">
/// <item>forward: x is split into S polyphase rows (x_ph[j] = x[S·j + ph], zero padded), so im2col row (c, k) is a
/// contiguous slice of one of them. "Direct" form: C = y [COut × LOut], A = the weights (read in place by the Vector512
/// kernel once K reaches a block, packed otherwise), B rows read in place. "Batched" form (short outputs, Vector512):
/// the same with the samples interleaved into the columns, see <see cref="ForwardBatched{T}"/>. "Transposed" form:
/// C = yᵀ [(b, t) × COut], A = im2colᵀ gathered into panels, B = packed weightsᵀ.</item>
/// <item>backward-data (= conv_transpose1d): output phase p (s = S·j + p) only meets taps k ≡ p + P (mod S), each a
/// shifted row of gy; one GEMM per phase with a strided store, in the same two forms.</item>
/// <item>backward-weight: with a channels-last copy xT[b, u, c] (u = s + P), row (b, t) of im2colᵀ is the contiguous
/// slice xT[b, S·t .. S·t + K) so gwᵀ' [COut × (k, c)] = gy · im2colᵀ is a plain GEMM over K = Batch·LOut.</item>
/// </list>
/// The form is picked per shape from micro-tile occupancy and packing cost; every output element is reduced in a fixed
/// order, so results do not depend on the thread count.</summary>
internal static unsafe partial class ConvCpu
{
    /// <summary>Test hook: 0 picks the form per shape, 1 forces the direct form, 2 the transposed form, 3 the batched
    /// forms (where the Vector512 kernel runs).</summary>
    internal static int ForceForm = int.TryParse(Environment.GetEnvironmentVariable("GANAUDIO_CONV_FORM"), out int f) ? f : 0;

    /// <summary>Scratch per group of samples (polyphase or channels-last copies), in bytes.</summary>
    private const long GroupBytes = 48L << 20;

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static int RoundUp(int a, int b) => (a + b - 1) / b * b;

    private static double Occupancy(long n, int tile) => n <= 0 ? 1 : (double)n / RoundUp((int)Math.Min(n, int.MaxValue / 2), tile);

    /// <summary>True when the transposed form should run: compares micro-tile occupancy of both forms, charging the
    /// transposed form for gathering its A operand (≈ one element per cycle against 2·cols flops at ~64 flops/cycle).</summary>
    private static bool PickTransposed(int rows, int cols, long gatherRows, int trCols, int mr, int nr)
    {
        if (ForceForm != 0) return ForceForm == 2;
        double direct = Occupancy(rows, mr) * Occupancy(cols, nr);
        double transposed = Occupancy(gatherRows, mr) * Occupancy(trCols, nr) / (1 + 32.0 / trCols);
        return transposed > 1.05 * direct;
    }

    /// <summary>True when the forward should run in the batched form (<see cref="ForwardBatched{T}"/>): outputs too short
    /// to fill (or to repeat) an NR-column block per sample. Needs the Vector512 kernel.</summary>
    private static bool PickBatched(int lout, int nr)
    {
        if (!GemmCore.Use512) return false;
        if (ForceForm != 0) return ForceForm == 3;
        return lout <= nr || Occupancy(lout, nr) < 0.8;
    }

    /// <summary>True when backward-data should run in the batched form (<see cref="BackwardDataBatched{T}"/>): in place of
    /// the transposed form, where the Vector512 kernel runs.</summary>
    private static bool PickBatchedData(bool transposed)
    {
        if (!GemmCore.Use512) return false;
        if (ForceForm != 0) return ForceForm == 3;
        return transposed;
    }

    /// <summary>dst[b, n, stride·j + phase] = src[(b·rows + j)·cols + n] (+ bias[n]) for b &lt; nb, j &lt; rows, n &lt; cols; dst rows
    /// hold <paramref name="len"/> values. Writes the transposed-form GEMM results (rows (b, j), columns n) into [B, N, L].</summary>
    private static void ScatterRows<T>(T* src, int nb, int rows, int cols, T* bias, T* dst, int len, int stride, int phase)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var args = (s: (nint)src, d: (nint)dst, bi: (nint)bias);
        CpuParallel.For(nb, 2.0 * rows * cols, b =>
        {
            T* sb = (T*)args.s + (long)b * rows * cols;
            T* db = (T*)args.d + (long)b * cols * len + phase;
            T* bi = (T*)args.bi;
            const int blk = 16;
            for (int n0 = 0; n0 < cols; n0 += blk)
            {
                int n1 = Math.Min(cols, n0 + blk);
                for (int j = 0; j < rows; j++)
                {
                    T* sr = sb + (long)j * cols;
                    for (int n = n0; n < n1; n++)
                        db[(long)n * len + stride * j] = bi == null ? sr[n] : sr[n] + bi[n];
                }
            }
        });
    }
}
