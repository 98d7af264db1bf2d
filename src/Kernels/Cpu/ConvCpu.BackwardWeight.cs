using System.Numerics;

namespace GanAudio.Kernels.Cpu;

/// <summary>Conv1d backward-weight as one GEMM over a channels-last copy of x.</summary>
internal static unsafe partial class ConvCpu
{
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
            UnpackWeightGrad(cS.As<T>(), g.COut, g.CIn, KW, pgw);
        }
    }

    /// <summary>gw[o, c, k] = cw[o, k·CIn + c]: the GEMM's (k, c)-ordered columns back to [COut, CIn, K]. Parallel over o
    /// (a weight-sized pass: on one thread it took about 40 % of the d = 64 D5 weight gradient at batch 16); per block of 16 channels the
    /// K source rows are read a cache line at a time and the 16·K destination values stay in L1.</summary>
    private static void UnpackWeightGrad<T>(T* cw, int cout, int cin, int kw, T* gw) where T : unmanaged
    {
        var args = (s: (nint)cw, d: (nint)gw);
        CpuParallel.For(cout, 2.0 * cin * kw, o =>
        {
            long n = (long)cin * kw;
            T* src = (T*)args.s + o * n;
            T* dst = (T*)args.d + o * n;
            const int blk = 16;
            for (int c0 = 0; c0 < cin; c0 += blk)
            {
                int c1 = Math.Min(cin, c0 + blk);
                for (int k = 0; k < kw; k++)
                {
                    T* sr = src + (long)k * cin;
                    for (int c = c0; c < c1; c++) dst[(long)c * kw + k] = sr[c];
                }
            }
        });
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
