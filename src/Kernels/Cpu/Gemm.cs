using System.Numerics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Gemm(in GemmArgs g, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c)
    {
        var aa = Cpu(a);
        var bb = Cpu(b);
        var cc = Cpu(c);
        if (aa.DType != cc.DType || bb.DType != cc.DType) throw new ArgumentException($"gemm: dtypes differ ({aa.DType}, {bb.DType}, {cc.DType})");
        if (g.M < 0 || g.N < 0 || g.K < 0 || g.Batch < 0) throw new ArgumentException($"gemm: negative size in {g}");
        CheckGemmExtent(g, aa.Length, bb.Length, cc.Length);
        if (cc.DType == DType.Float32) GemmTyped(g, aa.F32, bb.F32, cc.F32);
        else if (cc.DType == DType.Float64) GemmTyped(g, aa.F64, bb.F64, cc.F64);
        else throw DTypeExtensions.Unsupported(cc.DType, "gemm");
    }

    private static void CheckGemmExtent(in GemmArgs g, int la, int lb, int lc)
    {
        if (g.Batch == 0 || g.M == 0 || g.N == 0) return;
        static long End(long off, long stride, int batch, long size) => off + Math.Max(0, (batch - 1) * stride) + size;
        if (End(g.OffsetA, g.StrideA, g.Batch, (long)g.M * g.K) > la || End(g.OffsetB, g.StrideB, g.Batch, (long)g.K * g.N) > lb ||
            End(g.OffsetC, g.StrideC, g.Batch, (long)g.M * g.N) > lc || g.OffsetA < 0 || g.OffsetB < 0 || g.OffsetC < 0)
            throw new ArgumentException($"gemm: {g} reaches past a buffer (lengths A {la}, B {lb}, C {lc})");
    }

    /// <summary>Batched GEMM on arrays: packs op(A)·α and op(B) into panels (a batch stride of 0 packs once), then runs
    /// the blocked micro-kernel driver over all batches of a group together.</summary>
    internal static unsafe void GemmTyped<T>(in GemmArgs g, T[] a, T[] b, T[] c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Batch == 0 || g.M == 0 || g.N == 0) return;
        int M = g.M, N = g.N, K = g.K;
        int mr = GemmCore.MR<T>(), nr = GemmCore.NR<T>();
        long aPack = (long)GemmCore.Panels(M, mr) * mr * K;
        long bPack = (long)GemmCore.Panels(N, nr) * nr * K;
        bool shareA = g.StrideA == 0, shareB = g.StrideB == 0;
        // batches per group: keep packed scratch around 64 MiB
        long perBatch = (shareA ? 0 : aPack) + (shareB ? 0 : bPack) + 1;
        int group = g.StrideC == 0 ? 1 : (int)Math.Clamp((16L << 20) / perBatch, 1, g.Batch); // C shared: batches in order
        long aBytes = (shareA ? 1 : group) * aPack * sizeof(T), bBytes = (shareB ? 1 : group) * bPack * sizeof(T);
        T alpha = T.CreateTruncating(g.Alpha), beta = T.CreateTruncating(g.Beta);
        using var sa = ScratchPool.Rent(aBytes);
        using var sb = ScratchPool.Rent(bBytes);
        using var so = ScratchPool.Rent((long)Math.Max(K, 1) * sizeof(int));
        int* off = so.As<int>();
        for (int k = 0; k < K; k++) off[k] = k * nr;
        var jobs = new GemmJob<T>[group];
        fixed (T* pa = a, pb = b, pc = c)
        {
            for (int b0 = 0; b0 < g.Batch; b0 += group)
            {
                int nb = Math.Min(group, g.Batch - b0);
                for (int i = 0; i < nb; i++)
                {
                    int bt = b0 + i;
                    T* ap = sa.As<T>() + (shareA ? 0 : i * aPack);
                    T* bp = sb.As<T>() + (shareB ? 0 : i * bPack);
                    if (!shareA || bt == 0) GemmCore.PackA(pa + g.OffsetA + bt * g.StrideA, g.TransA, M, K, alpha, ap);
                    if (!shareB || bt == 0) GemmCore.PackB(pb + g.OffsetB + bt * g.StrideB, g.TransB, K, N, bp);
                    jobs[i] = new GemmJob<T>
                    {
                        A = ap, B = bp, Off = off, BPanel = (long)nr * K,
                        C = pc + g.OffsetC + bt * g.StrideC, Ldc = N, ColStride = 1,
                        M = M, N = N, K = K, Beta = beta,
                    };
                }
                GemmCore.Run(jobs, nb);
            }
        }
    }
}
