using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Gemm(in GemmArgs g, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c)
    {
        var aa = Cpu(a);
        var bb = Cpu(b);
        var cc = Cpu(c);
        if (aa.DType != cc.DType || bb.DType != cc.DType) throw new ArgumentException($"gemm: dtypes differ ({aa.DType}, {bb.DType}, {cc.DType})");
        if (cc.DType == DType.Float32) GemmTyped(g, aa.F32, bb.F32, cc.F32);
        else GemmTyped(g, aa.F64, bb.F64, cc.F64);
    }

    internal static void GemmTyped<T>(in GemmArgs g, T[] a, T[] b, T[] c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var args = g;
        for (int bt = 0; bt < args.Batch; bt++)
        {
            long oa = args.OffsetA + bt * args.StrideA, ob = args.OffsetB + bt * args.StrideB, oc = args.OffsetC + bt * args.StrideC;
            GemmSingle(args, a, oa, b, ob, c, oc);
        }
    }

    /// <summary>One row-major GEMM: packs op(A) and op(B) row-major when transposed, then C[i,:] += A[i,k]·B[k,:] with
    /// SIMD over the columns, rows split over cores.</summary>
    private static void GemmSingle<T>(GemmArgs g, T[] a, long oa, T[] b, long ob, T[] c, long oc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int M = g.M, N = g.N, K = g.K;
        T alpha = T.CreateTruncating(g.Alpha), beta = T.CreateTruncating(g.Beta);
        T[] bp = b;
        long bo = ob;
        if (g.TransB)
        {
            bp = new T[(long)K * N];
            for (int n = 0; n < N; n++)
            for (int k = 0; k < K; k++) bp[(long)k * N + n] = b[ob + (long)n * K + k];
            bo = 0;
        }
        Par.For(M, (double)N * K, m =>
        {
            var row = c.AsSpan((int)(oc + (long)m * N), N);
            if (g.Beta == 0) row.Clear();
            else if (g.Beta != 1) for (int n = 0; n < N; n++) row[n] *= beta;
            for (int k = 0; k < K; k++)
            {
                T av = g.TransA ? a[oa + (long)k * M + m] : a[oa + (long)m * K + k];
                if (av == T.Zero) continue;
                Axpy(alpha * av, bp, bo + (long)k * N, row);
            }
        });
    }

    /// <summary>y += s·x[xo .. xo + y.Length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy<T>(T s, T[] x, long xo, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length, i = 0;
        ref T xr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), (nint)xo);
        ref T yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var sv = Vector512.Create(s);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (sv * Vector512.LoadUnsafe(ref xr, (nuint)i) + Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) += s * Unsafe.Add(ref xr, i);
    }
}
