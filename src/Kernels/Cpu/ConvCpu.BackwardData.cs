using System.Numerics;

namespace GanAudio.Kernels.Cpu;

/// <summary>Conv1d backward-data (conv_transpose1d) by output phase, in the direct and transposed forms.</summary>
internal static unsafe partial class ConvCpu
{
    /// <summary>Taps of output phase p (s = S·j + p): kernel index k ≡ p + P (mod S) reads gy at t = j + d, d = (p + P − k) / S.</summary>
    private static List<(int K, int D)>[] PhaseTaps(in Conv1dGeometry g, out int dmin, out int dmax)
    {
        int S = g.Stride, P = g.Padding;
        var taps = new List<(int K, int D)>[S];
        dmin = int.MaxValue;
        dmax = int.MinValue;
        for (int p = 0; p < S; p++)
        {
            taps[p] = [];
            for (int k = 0; k < g.Kernel; k++)
            {
                if (((p + P - k) % S + S) % S != 0) continue;
                int d = (p + P - k) / S;
                taps[p].Add((k, d));
                dmin = Math.Min(dmin, d);
                dmax = Math.Max(dmax, d);
            }
        }
        if (dmin == int.MaxValue) dmin = dmax = 0;
        return taps;
    }

    public static void BackwardData<T>(Conv1dGeometry g, T[] gy, T[] w, T[] gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Batch == 0 || g.LIn == 0) return;
        int mr = GemmCore.MR<T>(), nr = GemmCore.NR<T>();
        int jCount = (g.LIn + g.Stride - 1) / g.Stride; // j range of phase 0 (the longest)
        var taps = PhaseTaps(g, out int dmin, out int dmax);
        // the direct form stacks all phases as rows (c, p) over the union of shifts; the transposed form runs per phase
        bool tr = PickTransposed(g.CIn * g.Stride, jCount, (long)g.Batch * jCount, g.CIn, mr, nr);
        if (PickBatchedData(tr)) BackwardDataBatched(g, gy, w, gx, taps, dmin, dmax, jCount);
        else if (tr) BackwardDataTransposed(g, gy, w, gx, taps, dmin, dmax, jCount);
        else BackwardDataDirect(g, gy, w, gx, taps, dmin, dmax, jCount);
    }

    /// <summary>All phases in one GEMM per sample: C[(p, c), j] = Σ_(d, o) W[o, c, p + P − S·d] · gy[o, j + d]
    /// (zero where the tap falls outside the kernel), written to a phase-major scratch and interleaved into gx. Rows are
    /// phase-major and K is ordered (d, o), so each MR-row panel runs only over the d range of its phases
    /// (<see cref="GemmJob{T}.KBegin"/>): the zero taps at the ends of a phase's range cost nothing.</summary>
    private static void BackwardDataDirect<T>(Conv1dGeometry g, T[] gy, T[] w, T[] gx, List<(int K, int D)>[] taps, int dmin, int dmax, int jCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int S = g.Stride;
        int mr = GemmCore.MR<T>(), nr = GemmCore.NR<T>();
        int nd = dmax - dmin + 1, rows = g.CIn * S, kk = g.COut * nd;
        int panels = GemmCore.Panels(rows, mr);
        int tmin = Math.Min(0, dmin), tmax = Math.Max(g.LOut - 1, RoundUp(jCount, nr) - 1 + dmax);
        int lg = tmax - tmin + 1;
        long perSample = (long)g.COut * lg;
        long scrPerSample = S == 1 ? 0 : (long)rows * jCount;
        int group = (int)Math.Clamp(GroupBytes / Math.Max(1, (perSample + scrPerSample) * sizeof(T)), 1, g.Batch);
        using var aS = ScratchPool.Rent(Math.Max(1, (long)panels * mr * kk) * sizeof(T));
        using var offS = ScratchPool.Rent(((long)kk + 2L * panels + rows) * sizeof(int));
        using var gpS = ScratchPool.Rent(group * perSample * sizeof(T));
        using var scrS = ScratchPool.Rent(Math.Max(1, group * scrPerSample) * sizeof(T));
        int* off = offS.As<int>();
        int* kBegin = off + kk, kEnd = kBegin + panels, cRow = kEnd + panels;
        for (int d = 0; d < nd; d++)
        for (int o = 0; o < g.COut; o++)
            off[d * g.COut + o] = o * lg + d + dmin - tmin;
        for (int q = 0; q < panels; q++)
        {
            // union of the d ranges of the phases in rows [q·MR, q·MR + MR)
            int lo = nd, hi = 0;
            for (int p = q * mr / g.CIn; p <= Math.Min(S - 1, (Math.Min(rows, q * mr + mr) - 1) / g.CIn); p++)
                foreach (var (_, d) in taps[p])
                {
                    lo = Math.Min(lo, d - dmin);
                    hi = Math.Max(hi, d - dmin + 1);
                }
            kBegin[q] = lo < hi ? lo * g.COut : 0;
            kEnd[q] = lo < hi ? hi * g.COut : 0;
        }
        for (int p = 0; p < S; p++)
        for (int c = 0; c < g.CIn; c++)
            cRow[p * g.CIn + c] = (c * S + p) * jCount;
        var jobs = new GemmJob<T>[group];
        fixed (T* pgy = gy, pw = w, pgx = gx)
        {
            ConvPack.PhaseStackedA(g, pw, dmin, nd, aS.As<T>());
            T* gp = gpS.As<T>();
            T* scr = scrS.As<T>();
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                BuildPadded(pgy + (long)b0 * g.COut * g.LOut, nb * g.COut, g.LOut, tmin, lg, gp);
                T* gxb = pgx + (long)b0 * g.CIn * g.LIn;
                for (int i = 0; i < nb; i++)
                {
                    // S = 1: rows are channels and C is gx itself
                    jobs[i] = new GemmJob<T>
                    {
                        A = aS.As<T>(), B = gp + i * perSample, Off = off, KBegin = kBegin, KEnd = kEnd,
                        C = S == 1 ? gxb + (long)i * g.CIn * g.LIn : scr + i * scrPerSample, Ldc = jCount, ColStride = 1,
                        CRow = S == 1 ? null : cRow,
                        M = rows, N = jCount, K = kk,
                    };
                }
                GemmCore.Run(jobs, nb);
                if (S > 1) Interleave(scr, nb * g.CIn, S, jCount, g.LIn, gxb);
            }
        }
    }

    /// <summary>dst[r][S·j + p] = src[r][p][j] for S·j + p &lt; len.</summary>
    private static void Interleave<T>(T* src, int rowCount, int S, int jCount, int len, T* dst) where T : unmanaged
    {
        var args = (s: (nint)src, d: (nint)dst);
        CpuParallel.For(rowCount, 2.0 * len, r =>
        {
            T* sr = (T*)args.s + (long)r * S * jCount;
            T* dr = (T*)args.d + (long)r * len;
            int full = len / S;
            if (S == 4)
            {
                T* s0 = sr, s1 = sr + jCount, s2 = sr + 2 * jCount, s3 = sr + 3 * jCount;
                for (int j = 0; j < full; j++)
                {
                    T* o = dr + 4 * j;
                    o[0] = s0[j];
                    o[1] = s1[j];
                    o[2] = s2[j];
                    o[3] = s3[j];
                }
            }
            else
            {
                for (int j = 0; j < full; j++)
                for (int p = 0; p < S; p++)
                    dr[S * j + p] = sr[p * jCount + j];
            }
            for (int s = full * S; s < len; s++) dr[s] = sr[(s % S) * jCount + s / S];
        });
    }

    /// <summary>One GEMM per phase with the roles swapped (short outputs): C[(b, j), c] = Σ_(o, i) gy[b, o, j + d_i] · W[o, c, k_i],
    /// A gathered from the padded gy, B the packed phase weights, rows stored to gx[b, c, S·j + p].</summary>
    private static void BackwardDataTransposed<T>(Conv1dGeometry g, T[] gy, T[] w, T[] gx, List<(int K, int D)>[] taps, int dmin, int dmax, int jCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int S = g.Stride, KW = g.Kernel;
        int mr = GemmCore.MR<T>(), nr = GemmCore.NR<T>();
        int tmin = Math.Min(0, dmin), tmax = Math.Max(g.LOut - 1, jCount - 1 + dmax);
        int lg = tmax - tmin + 1;
        long perSample = (long)g.COut * lg;
        int maxTaps = taps.Max(t => t.Count);
        int kMax = g.COut * maxTaps;
        int group = (int)Math.Clamp(GroupBytes / Math.Max(1, (perSample + (long)jCount * kMax) * sizeof(T)), 1, g.Batch);
        long bPanel = (long)GemmCore.Panels(g.CIn, nr) * nr;
        using var wS = ScratchPool.Rent(Math.Max(1, S * bPanel * kMax) * sizeof(T));
        using var offS = ScratchPool.Rent(Math.Max(1L, (long)S * kMax) * sizeof(int));
        using var gpS = ScratchPool.Rent(group * perSample * sizeof(T));
        using var aS = ScratchPool.Rent(Math.Max(1, (long)GemmCore.Panels(group * jCount, mr) * mr * kMax * sizeof(T)));
        using var rowS = ScratchPool.Rent(2L * group * jCount * sizeof(int) + 64);
        using var cS = ScratchPool.Rent(Math.Max(1, (long)group * jCount * g.CIn) * sizeof(T));
        using var koS = ScratchPool.Rent(Math.Max(1L, kMax) * sizeof(int));
        int* off = offS.As<int>();
        var jobs = new GemmJob<T>[1];
        fixed (T* pgy = gy, pw = w, pgx = gx)
        {
            // A row offsets o·lg + d_i − tmin; B_p[(o, i), c] = w[o, c, k_i] packed in one pass
            for (int p = 0; p < S; p++)
            {
                int nt = taps[p].Count;
                for (int o = 0; o < g.COut; o++)
                for (int i = 0; i < nt; i++)
                    off[p * kMax + o * nt + i] = o * lg + taps[p][i].D - tmin;
            }
            PackPhaseWeights(g, pw, taps, kMax, bPanel, wS.As<T>());
            for (int k = 0; k < kMax; k++) koS.As<int>()[k] = k * nr;
            T* gp = gpS.As<T>();
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                BuildPadded(pgy + (long)b0 * g.COut * g.LOut, nb * g.COut, g.LOut, tmin, lg, gp);
                T* gxb = pgx + (long)b0 * g.CIn * g.LIn;
                for (int p = 0; p < S; p++)
                {
                    int jp = p < g.LIn ? (g.LIn - p + S - 1) / S : 0;
                    if (jp == 0) continue;
                    int nt = taps[p].Count, rows = nb * jp;
                    int* rowBase = rowS.As<int>();
                    for (int i = 0; i < nb; i++)
                    for (int j = 0; j < jp; j++)
                        rowBase[i * jp + j] = (int)(i * perSample) + j;
                    if (nt > 0) GemmCore.PackAGather(gp, rowBase, off + p * kMax, rows, g.COut * nt, aS.As<T>());
                    jobs[0] = new GemmJob<T>
                    {
                        A = aS.As<T>(), B = wS.As<T>() + p * bPanel * kMax, Off = koS.As<int>(), BPanel = (long)nr * g.COut * nt,
                        C = cS.As<T>(), Ldc = g.CIn, ColStride = 1,
                        M = rows, N = g.CIn, K = g.COut * nt,
                    };
                    GemmCore.Run(jobs, 1);
                    ScatterRows<T>(cS.As<T>(), nb, jp, g.CIn, null, gxb, g.LIn, S, p);
                }
            }
        }
    }

    /// <summary>Packs the per-phase B operands of <see cref="BackwardDataTransposed{T}"/> straight from w in one pass:
    /// B_p[(o, i), c] = w[o, c, k_i] in NR-column panels (panel q of phase p at dst + (p·kMax·bPanel) + q·NR·COut·nt_p,
    /// [(o, i)][NR], zero columns past CIn). Parallel over o; each w row is read once, contiguously.</summary>
    private static void PackPhaseWeights<T>(in Conv1dGeometry g, T* w, List<(int K, int D)>[] taps, int kMax, long bPanel, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int S = g.Stride, KW = g.Kernel, nr = GemmCore.NR<T>();
        int panels = GemmCore.Panels(g.CIn, nr);
        var tapK = new int[S][];
        for (int p = 0; p < S; p++) tapK[p] = taps[p].Select(t => t.K).ToArray();
        var geo = g;
        var args = (w: (nint)w, d: (nint)dst);
        // per (o, column panel): the 32 source rows (one kernel each) stay in L1, every destination row is written whole
        CpuParallel.For(g.COut, (double)g.CIn * KW, o =>
        {
            T* wo = (T*)args.w + (long)o * geo.CIn * KW;
            for (int q = 0; q < panels; q++)
            {
                int c0 = q * nr, cols = Math.Min(nr, geo.CIn - c0);
                for (int p = 0; p < S; p++)
                {
                    int[] ks = tapK[p];
                    int nt = ks.Length;
                    T* panel = (T*)args.d + p * bPanel * kMax + (long)q * nr * geo.COut * nt;
                    for (int i = 0; i < nt; i++)
                    {
                        T* dr = panel + (long)(o * nt + i) * nr;
                        T* src = wo + (long)c0 * KW + ks[i];
                        int j = 0;
                        for (; j < cols; j++) dr[j] = src[(long)j * KW];
                        for (; j < nr; j++) dr[j] = T.Zero;
                    }
                }
            }
        });
    }

    /// <summary>dst[r][t − tmin] = src[r][t] for t in [tmin, tmin + lg), zero outside [0, len).</summary>
    private static void BuildPadded<T>(T* src, int rows, int len, int tmin, int lg, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var args = (s: (nint)src, d: (nint)dst);
        CpuParallel.For(rows, lg, r =>
        {
            T* s = (T*)args.s + (long)r * len;
            T* d = (T*)args.d + (long)r * lg;
            int lead = Math.Clamp(-tmin, 0, lg);
            new Span<T>(d, lead).Clear();
            int copy = Math.Clamp(Math.Min(len, lg + tmin), 0, len);
            new ReadOnlySpan<T>(s, copy).CopyTo(new Span<T>(d + lead, copy));
            new Span<T>(d + lead + copy, lg - lead - copy).Clear();
        });
    }
}
