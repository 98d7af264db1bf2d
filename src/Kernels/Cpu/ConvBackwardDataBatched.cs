using System.Numerics;

namespace GanAudio.Kernels.Cpu;

internal static unsafe partial class ConvCpu
{
    /// <summary>Backward-data for short inputs, "batched" form: one GEMM per output phase p (s = S·j + p) with the
    /// samples interleaved into the columns, C_p[c, (j, b)] = Σ_(o, i) w[o, c, k_i] · gy[b, o, j + d_i] over the taps
    /// (k_i, d_i) of the phase. A is w itself, read in place: row c at c·K, column (o, i) at element offset
    /// o·CIn·K + k_i (<see cref="GemmJob{T}.AOff"/>), so only the partial last row panel of each phase is packed and no
    /// zero tap is stored or multiplied. gy is copied to [o][t][b] (t padded), so row (o, i) of B is one contiguous
    /// slice and column n = j·nb + b sits at its offset + n. Needs the Vector512 kernel (row-major A).</summary>
    private static void BackwardDataBatched<T>(Conv1dGeometry g, T[] gy, T[] w, T[] gx, List<(int K, int D)>[] taps, int dmin, int dmax, int jCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int S = g.Stride, KW = g.Kernel;
        int nr = GemmCore.NR<T>();
        int tmin = Math.Min(0, dmin), tmax = Math.Max(g.LOut - 1, jCount - 1 + dmax);
        int lg = tmax - tmin + 1;
        long rowsPerSample = (long)g.COut * lg;
        long scrPerSample = (long)S * g.CIn * jCount;
        int group = (int)Math.Clamp(GroupBytes / Math.Max(1, (rowsPerSample + scrPerSample) * sizeof(T)), 1, g.Batch);
        int kMax = Math.Max(1, g.COut * taps.Max(t => t.Count));
        long lastSize = GemmCore.LastPanelSize<T>(g.CIn, kMax);
        using var offS = ScratchPool.Rent(2L * S * kMax * sizeof(int));
        // columns past N (up to the next multiple of NR) read into the zeroed tail
        using var gbS = ScratchPool.Rent((group * rowsPerSample + nr) * sizeof(T));
        using var cS = ScratchPool.Rent(group * scrPerSample * sizeof(T));
        using var lastS = ScratchPool.Rent(S * lastSize * sizeof(T));
        int* aOff = offS.As<int>(), bOff = aOff + S * kMax;
        var jobs = new GemmJob<T>[S];
        fixed (T* pgy = gy, pw = w, pgx = gx)
        {
            for (int p = 0; p < S; p++)
            {
                int nt = taps[p].Count;
                for (int o = 0; o < g.COut; o++)
                for (int i = 0; i < nt; i++)
                    aOff[p * kMax + o * nt + i] = o * g.CIn * KW + taps[p][i].K;
                GemmCore.PackLastPanel(pw, KW, aOff + p * kMax, g.CIn, g.COut * nt, lastS.As<T>() + p * lastSize);
            }
            T* gb = gbS.As<T>(), scr = cS.As<T>();
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                for (int p = 0; p < S; p++)
                {
                    int nt = taps[p].Count;
                    for (int o = 0; o < g.COut; o++)
                    for (int i = 0; i < nt; i++)
                        bOff[p * kMax + o * nt + i] = (o * lg + taps[p][i].D - tmin) * nb;
                }
                new Span<T>(gb + nb * rowsPerSample, nr).Clear();
                BuildPaddedBatched(pgy + (long)b0 * g.COut * g.LOut, nb, g.COut, g.LOut, tmin, lg, gb);
                int count = 0;
                for (int p = 0; p < S; p++)
                {
                    int jp = p < g.LIn ? (g.LIn - p + S - 1) / S : 0;
                    if (jp == 0) continue;
                    jobs[count++] = new GemmJob<T>
                    {
                        A = pw, Lda = KW, AOff = aOff + p * kMax, ALast = lastS.As<T>() + p * lastSize,
                        B = gb, Off = bOff + p * kMax,
                        C = scr + (long)p * g.CIn * jCount * nb, Ldc = (long)jCount * nb, ColStride = 1,
                        M = g.CIn, N = jp * nb, K = g.COut * taps[p].Count,
                        // full-width tiles (up to 32 panels): each tile's rows of w come from L3 once per phase
                        TileCols = Math.Min(RoundUp(jp * nb, nr), 32 * nr),
                    };
                }
                GemmCore.Run(jobs, count);
                UnbatchPhases(scr, g.CIn, S, jCount, nb, g.LIn, pgx + (long)b0 * g.CIn * g.LIn);
            }
        }
    }

    /// <summary>gb[o][t − tmin][b] = gy[b, o, t] for t in [tmin, tmin + lg), zero outside [0, len).</summary>
    private static void BuildPaddedBatched<T>(T* gy, int nb, int cout, int len, int tmin, int lg, T* gb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var args = (s: (nint)gy, d: (nint)gb);
        CpuParallel.For(cout, 2.0 * nb * lg, o =>
        {
            T* d = (T*)args.d + (long)o * lg * nb;
            for (int tt = 0; tt < lg; tt++)
            {
                int t = tt + tmin;
                T* dr = d + (long)tt * nb;
                if ((uint)t >= (uint)len)
                {
                    new Span<T>(dr, nb).Clear();
                    continue;
                }
                T* s = (T*)args.s + (long)o * len + t;
                for (int b = 0; b < nb; b++) dr[b] = s[(long)b * cout * len];
            }
        });
    }

    /// <summary>gx[b, c, S·j + p] = scr[p][c][j·nb + b] for S·j + p &lt; len (phase blocks of CIn·jCount·nb values).</summary>
    private static void UnbatchPhases<T>(T* scr, int cin, int S, int jCount, int nb, int len, T* gx) where T : unmanaged
    {
        var args = (s: (nint)scr, d: (nint)gx);
        CpuParallel.For(cin, 2.0 * nb * len, c =>
        {
            long phase = (long)cin * jCount * nb;
            T* src = (T*)args.s + (long)c * jCount * nb;
            for (int b = 0; b < nb; b++)
            {
                T* dst = (T*)args.d + ((long)b * cin + c) * len;
                T* sb = src + b;
                for (int s = 0; s < len; s++) dst[s] = sb[(s % S) * phase + (long)(s / S) * nb];
            }
        });
    }
}
