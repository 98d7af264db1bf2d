using System.Numerics;

namespace GanAudio.Kernels.Cpu;

internal static unsafe partial class ConvCpu
{
    /// <summary>Forward for short outputs, "batched" form: one GEMM per group of samples with the samples interleaved
    /// into the columns, C[o, (t, b)] = Σ_(c, k) w[o, c, k] · x[b, c, S·t + k − P]. The polyphase copy is laid out
    /// [c][ph][j][b], so im2col row (c, k) is again one contiguous slice and column n = t·nb + b sits at its offset + n;
    /// A is w itself (row-major [COut × (c, k)], read in place) and the bias is added by the GEMM. A tile then spans
    /// many NR-column blocks even when LOut is below NR, and of the weights only a partial last row panel is packed.
    /// Needs the Vector512 kernel (row-major A).</summary>
    private static void ForwardBatched<T>(Conv1dGeometry g, T[] x, T[] w, T[]? bias, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int S = g.Stride, P = g.Padding, KW = g.Kernel, ck = g.CIn * KW;
        int nr = GemmCore.NR<T>();
        int jmin = FloorDiv(-P, S);
        int lp = g.LOut - 1 + FloorDiv(KW - 1 - P, S) - jmin + 1;
        long rowsPerSample = (long)g.CIn * S * lp;
        long perSampleBytes = (rowsPerSample + (long)g.COut * g.LOut) * sizeof(T);
        int group = (int)Math.Clamp(GroupBytes / Math.Max(1, perSampleBytes), 1, g.Batch);
        using var offS = ScratchPool.Rent((long)ck * sizeof(int));
        // columns past N (up to the next multiple of NR) read into the zeroed tail
        using var xbS = ScratchPool.Rent((group * rowsPerSample + nr) * sizeof(T));
        using var cS = ScratchPool.Rent((long)group * g.COut * g.LOut * sizeof(T));
        using var lastS = ScratchPool.Rent(GemmCore.LastPanelSize<T>(g.COut, ck) * sizeof(T));
        var jobs = new GemmJob<T>[1];
        fixed (T* px = x, pw = w, pb = bias, py = y)
        {
            T* xb = xbS.As<T>();
            int* off = offS.As<int>();
            GemmCore.PackLastPanel(pw, ck, g.COut, ck, lastS.As<T>());
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                for (int c = 0; c < g.CIn; c++)
                for (int k = 0; k < KW; k++)
                {
                    int sh = FloorDiv(k - P, S), ph = k - P - sh * S;
                    off[c * KW + k] = ((c * S + ph) * lp + sh - jmin) * nb;
                }
                new Span<T>(xb + nb * rowsPerSample, nr).Clear();
                BuildPolyphaseBatched(g, px + (long)b0 * g.CIn * g.LIn, nb, jmin, lp, xb);
                jobs[0] = new GemmJob<T>
                {
                    A = pw, Lda = ck, ALast = lastS.As<T>(), B = xb, Off = off,
                    C = cS.As<T>(), Ldc = (long)g.LOut * nb, ColStride = 1,
                    M = g.COut, N = g.LOut * nb, K = ck, Bias = pb,
                    // short, full-width tiles (3 row panels, up to 32 column panels): measured 7 % faster on D5 than
                    // 144 × 128 tiles (more, smaller tiles balance two cores; each w row block is read once)
                    TileRows = 3 * GemmCore.MR<T>(), TileCols = Math.Min(RoundUp(g.LOut * nb, nr), 32 * nr),
                };
                GemmCore.Run(jobs, 1);
                Unbatch(cS.As<T>(), g.COut, g.LOut, nb, py + (long)b0 * g.COut * g.LOut);
            }
        }
    }

    /// <summary>xb[c][ph][j'][b] = x[b, c, S·(j' + jmin) + ph] for b &lt; nb, zero outside [0, LIn).</summary>
    private static void BuildPolyphaseBatched<T>(in Conv1dGeometry g, T* x, int nb, int jmin, int lp, T* xb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geo = g;
        var args = (x: (nint)x, xb: (nint)xb);
        CpuParallel.For(g.CIn, (double)nb * g.Stride * lp, c =>
        {
            int S = geo.Stride, lin = geo.LIn;
            T* dst = (T*)args.xb + (long)c * S * lp * nb;
            for (int b = 0; b < nb; b++)
            {
                T* src = (T*)args.x + ((long)b * geo.CIn + c) * lin;
                for (int ph = 0; ph < S; ph++)
                {
                    T* d = dst + (long)ph * lp * nb + b;
                    for (int jj = 0; jj < lp; jj++)
                    {
                        int s = S * (jj + jmin) + ph;
                        d[(long)jj * nb] = (uint)s < (uint)lin ? src[s] : T.Zero;
                    }
                }
            }
        });
    }

    /// <summary>y[b, o, t] = c[o, t·nb + b]: the batched GEMM's columns back to [B, COut, LOut].</summary>
    private static void Unbatch<T>(T* c, int cout, int lout, int nb, T* y) where T : unmanaged
    {
        var args = (c: (nint)c, y: (nint)y);
        CpuParallel.For(cout, 2.0 * lout * nb, o =>
        {
            T* src = (T*)args.c + (long)o * lout * nb;
            for (int b = 0; b < nb; b++)
            {
                T* dst = (T*)args.y + ((long)b * cout + o) * lout;
                for (int t = 0; t < lout; t++) dst[t] = src[(long)t * nb + b];
            }
        });
    }
}
