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

    // ---------------------------------------------------------------- forward

    public static void Forward<T>(Conv1dGeometry g, T[] x, T[] w, T[]? bias, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Batch == 0 || g.LOut == 0) return;
        int S = g.Stride, P = g.Padding, KW = g.Kernel, ck = g.CIn * KW;
        int mr = GemmCore.MR<T>(), nr = GemmCore.NR<T>();
        if (PickBatched(g.LOut, nr))
        {
            ForwardBatched(g, x, w, bias, y);
            return;
        }
        bool tr = PickTransposed(g.COut, g.LOut, (long)g.Batch * g.LOut, g.COut, mr, nr);
        // polyphase rows xp[b][c][ph][j − jmin] for j in [jmin, jmax]; the direct form reads whole NR-wide column blocks
        int jmin = FloorDiv(-P, S);
        int jmax = (tr ? g.LOut - 1 : RoundUp(g.LOut, nr) - 1) + FloorDiv(KW - 1 - P, S);
        int lp = jmax - jmin + 1;
        long perSample = (long)g.CIn * S * lp;
        long perSampleBytes = (perSample + (tr ? (long)g.LOut * (ck + g.COut) : 0)) * sizeof(T);
        int group = (int)Math.Clamp(GroupBytes / Math.Max(1, perSampleBytes), 1, g.Batch);
        using var offS = ScratchPool.Rent((long)ck * sizeof(int));
        int* off = offS.As<int>();
        for (int c = 0; c < g.CIn; c++)
        for (int k = 0; k < KW; k++)
        {
            int sh = FloorDiv(k - P, S), ph = k - P - sh * S;
            off[c * KW + k] = (c * S + ph) * lp + (sh - jmin);
        }
        using var xpS = ScratchPool.Rent(group * perSample * sizeof(T));
        bool inPlace = !tr && GemmCore.Use512 && ck >= GemmCore.KC; // below one K block packing w costs next to nothing
        long wPack = tr ? (long)GemmCore.Panels(g.COut, nr) * nr * ck
            : inPlace ? GemmCore.LastPanelSize<T>(g.COut, ck) : (long)GemmCore.Panels(g.COut, mr) * mr * ck;
        using var wS = ScratchPool.Rent(wPack * sizeof(T));
        using var aS = ScratchPool.Rent(tr ? (long)GemmCore.Panels(group * g.LOut, mr) * mr * ck * sizeof(T) : 64);
        using var rowS = ScratchPool.Rent(tr ? 2L * group * g.LOut * sizeof(int) : 64);
        using var cS = ScratchPool.Rent(tr ? (long)group * g.LOut * g.COut * sizeof(T) : 64);
        using var koS = ScratchPool.Rent(tr ? (long)ck * sizeof(int) : 64);
        T* xp = xpS.As<T>();
        var jobs = new GemmJob<T>[tr ? 1 : group];
        fixed (T* px = x, pw = w, pb = bias, py = y)
        {
            if (tr)
            {
                GemmCore.PackB(pw, true, ck, g.COut, wS.As<T>());
                for (int k = 0; k < ck; k++) koS.As<int>()[k] = k * nr;
            }
            // the direct form reads w in place where the Vector512 kernel runs: it is already the row-major A [COut × (c, k)]
            else if (!inPlace) GemmCore.PackA(pw, false, g.COut, ck, T.One, wS.As<T>());
            else GemmCore.PackLastPanel(pw, ck, g.COut, ck, wS.As<T>());
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                BuildPolyphase(g, px + (long)b0 * g.CIn * g.LIn, nb, jmin, lp, xp);
                if (!tr)
                {
                    for (int i = 0; i < nb; i++)
                    {
                        jobs[i] = new GemmJob<T>
                        {
                            A = inPlace ? pw : wS.As<T>(), Lda = inPlace ? ck : 0, ALast = wS.As<T>(), B = xp + i * perSample, Off = off,
                            C = py + (long)(b0 + i) * g.COut * g.LOut, Ldc = g.LOut, ColStride = 1,
                            M = g.COut, N = g.LOut, K = ck, Bias = pb,
                        };
                    }
                    GemmCore.Run(jobs, nb);
                }
                else
                {
                    int rows = nb * g.LOut;
                    int* rowBase = rowS.As<int>();
                    for (int i = 0; i < nb; i++)
                    for (int t = 0; t < g.LOut; t++)
                        rowBase[i * g.LOut + t] = (int)(i * perSample) + t;
                    // im2colᵀ[(b,t), (c,k)] = xp_b[off[c,k] + t]
                    GemmCore.PackAGather(xp, rowBase, off, rows, ck, aS.As<T>());
                    // yᵀ goes to a contiguous scratch (vector stores every K block), then one transposing pass adds the bias
                    jobs[0] = new GemmJob<T>
                    {
                        A = aS.As<T>(), B = wS.As<T>(), Off = koS.As<int>(), BPanel = (long)nr * ck,
                        C = cS.As<T>(), Ldc = g.COut, ColStride = 1,
                        M = rows, N = g.COut, K = ck,
                    };
                    GemmCore.Run(jobs, 1);
                    ScatterRows(cS.As<T>(), nb, g.LOut, g.COut, pb, py + (long)b0 * g.COut * g.LOut, g.LOut, 1, 0);
                }
            }
        }
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

    /// <summary>xp[b][c][ph][j'] = x[b, c, S·(j' + jmin) + ph], zero outside [0, LIn).</summary>
    private static void BuildPolyphase<T>(in Conv1dGeometry g, T* x, int nb, int jmin, int lp, T* xp) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geo = g;
        var args = (x: (nint)x, xp: (nint)xp);
        CpuParallel.For(nb * g.CIn, (double)g.LIn + g.Stride * lp, bc =>
        {
            int S = geo.Stride;
            T* src = (T*)args.x + (long)bc * geo.LIn;
            T* dst = (T*)args.xp + (long)bc * S * lp;
            for (int ph = 0; ph < S; ph++)
            {
                T* d = dst + ph * lp;
                for (int jj = 0; jj < lp; jj++)
                {
                    int s = S * (jj + jmin) + ph;
                    d[jj] = (uint)s < (uint)geo.LIn ? src[s] : T.Zero;
                }
            }
        });
    }

    // ---------------------------------------------------------------- backward data

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

    // ---------------------------------------------------------------- backward weight

    public static void BackwardWeight<T>(Conv1dGeometry g, T[] x, T[] gy, T[] gw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int S = g.Stride, P = g.Padding, KW = g.Kernel;
        long wLen = (long)g.COut * g.CIn * KW;
        if (g.Batch == 0 || g.LOut == 0)
        {
            Array.Clear(gw, 0, (int)wLen);
            return;
        }
        int nr = GemmCore.NR<T>(), mr = GemmCore.MR<T>();
        int n = KW * g.CIn;
        int ls = S * (g.LOut - 1) + KW; // channels-last rows u = s + P
        long perSample = (long)ls * g.CIn;
        int group = (int)Math.Clamp(GroupBytes / Math.Max(1, (perSample + (long)g.COut * g.LOut) * sizeof(T)), 1, g.Batch);
        using var xtS = ScratchPool.Rent((group * perSample + nr) * sizeof(T));
        using var cS = ScratchPool.Rent(wLen * sizeof(T));
        using var aS = ScratchPool.Rent((long)GemmCore.Panels(g.COut, mr) * mr * group * g.LOut * sizeof(T));
        using var offS = ScratchPool.Rent((long)group * g.LOut * sizeof(int) * 2 + (long)g.COut * sizeof(int));
        T* xt = xtS.As<T>();
        new Span<T>(xt + group * perSample, nr).Clear();
        int* off = offS.As<int>();
        int* kOff = off + group * g.LOut;
        int* rowBase = kOff + group * g.LOut;
        for (int o = 0; o < g.COut; o++) rowBase[o] = o * g.LOut;
        // few output tiles and a long reduction: split K into a fixed number of parts (independent of the thread
        // count) with their own partial results, summed in part order
        int tilesEstimate = GemmCore.Panels(g.COut, GemmCore.MC) * Math.Max(1, GemmCore.Panels(n, nr) / 4);
        int maxK = group * g.LOut;
        int parts = tilesEstimate >= 8 ? 1 : Math.Clamp(maxK / 2048, 1, 8);
        using var partS = ScratchPool.Rent(parts > 1 ? parts * wLen * sizeof(T) : 64);
        var jobs = new GemmJob<T>[parts];
        fixed (T* px = x, pgy = gy, pgw = gw)
        {
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                BuildChannelsLast(g, px + (long)b0 * g.CIn * g.LIn, nb, ls, xt);
                for (int i = 0; i < nb; i++)
                for (int t = 0; t < g.LOut; t++)
                {
                    off[i * g.LOut + t] = (int)(i * perSample) + S * t * g.CIn;
                    kOff[i * g.LOut + t] = i * g.COut * g.LOut + t;
                }
                int kk = nb * g.LOut;
                GemmCore.PackAGather(pgy + (long)b0 * g.COut * g.LOut, rowBase, kOff, g.COut, kk, aS.As<T>());
                for (int q = 0; q < parts; q++)
                {
                    int k0 = (int)((long)kk * q / parts), k1 = (int)((long)kk * (q + 1) / parts);
                    jobs[q] = new GemmJob<T>
                    {
                        A = aS.As<T>() + (long)k0 * mr, AK = kk, B = xt, Off = off + k0,
                        C = parts == 1 ? cS.As<T>() : partS.As<T>() + q * wLen, Ldc = n, ColStride = 1,
                        M = g.COut, N = n, K = k1 - k0, Beta = parts == 1 && b0 > 0 ? T.One : T.Zero,
                    };
                }
                GemmCore.Run(jobs, parts);
                if (parts > 1)
                {
                    T* cw0 = cS.As<T>(), pp = partS.As<T>();
                    for (long e = 0; e < wLen; e++)
                    {
                        T acc = b0 > 0 ? cw0[e] : T.Zero;
                        for (int q = 0; q < parts; q++) acc += pp[q * wLen + e];
                        cw0[e] = acc;
                    }
                }
            }
            // gw[o, c, k] = C[o, k·CIn + c]
            T* cw = cS.As<T>();
            for (int o = 0; o < g.COut; o++)
            for (int c = 0; c < g.CIn; c++)
            for (int k = 0; k < KW; k++)
                pgw[((long)o * g.CIn + c) * KW + k] = cw[(long)o * n + k * g.CIn + c];
        }
    }

    /// <summary>xt[b][u][c] = x[b, c, u − P] for u in [0, ls), zero outside [0, LIn).</summary>
    private static void BuildChannelsLast<T>(in Conv1dGeometry g, T* x, int nb, int ls, T* xt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geo = g;
        const int chunk = 256;
        int chunks = (ls + chunk - 1) / chunk;
        var args = (x: (nint)x, xt: (nint)xt);
        CpuParallel.For(nb * chunks, (double)chunk * g.CIn, task =>
        {
            int b = task / chunks, u0 = task % chunks * chunk, u1 = Math.Min(ls, u0 + chunk);
            int cin = geo.CIn;
            T* src = (T*)args.x + (long)b * cin * geo.LIn;
            T* dst = (T*)args.xt + (long)b * ls * cin;
            for (int c = 0; c < cin; c++)
            {
                T* sr = src + (long)c * geo.LIn;
                for (int u = u0; u < u1; u++)
                {
                    int s = u - geo.Padding;
                    dst[(long)u * cin + c] = (uint)s < (uint)geo.LIn ? sr[s] : T.Zero;
                }
            }
        });
    }
}
