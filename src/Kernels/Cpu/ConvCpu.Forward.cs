using System.Numerics;

namespace GanAudio.Kernels.Cpu;

/// <summary>Conv1d forward in the direct and transposed forms (the batched form is in ConvForwardBatched.cs).</summary>
internal static unsafe partial class ConvCpu
{
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
}
