using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

/// <summary>GEMM register micro-kernels. Both compute one MR×NR tile of Σ_k A[r,k]·B[k,j] from a packed A micro-panel
/// (kc steps of MR values) and kc B rows given by element offsets from a base pointer (NR values each, contiguous), so
/// the same kernel runs on packed B panels and directly on conv inputs (implicit GEMM). The tile goes to a small
/// buffer; <see cref="GemmCore"/> adds it into C. Accumulation order over k is fixed: results do not depend on
/// how the caller splits work.</summary>
internal static unsafe class MicroKernels
{
    /// <summary>Rows of the Vector512 kernel.</summary>
    public const int MR512 = 12;

    /// <summary>Rows of the Vector256 kernel.</summary>
    public const int MR256 = 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    /// <summary>12×(2·Vector512&lt;T&gt;.Count) register tile: tile[r, j] = Σ_k a[k·12 + r] · b[off[k] + j] (writes tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel512<T>(int kc, T* a, T* b, int* off, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default;
        Vector512<T> c100 = default, c101 = default;
        Vector512<T> c110 = default, c111 = default;
        for (int k = 0; k < kc; k++)
        {
            T* br = b + off[k];
            var b0 = Vector512.Load(br);
            var b1 = Vector512.Load(br + w);
            var a0 = Vector512.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Fma(a1, b0, c10);
            c11 = Fma(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Fma(a2, b0, c20);
            c21 = Fma(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Fma(a3, b0, c30);
            c31 = Fma(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Fma(a4, b0, c40);
            c41 = Fma(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Fma(a5, b0, c50);
            c51 = Fma(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Fma(a6, b0, c60);
            c61 = Fma(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Fma(a7, b0, c70);
            c71 = Fma(a7, b1, c71);
            var a8 = Vector512.Create(a[8]);
            c80 = Fma(a8, b0, c80);
            c81 = Fma(a8, b1, c81);
            var a9 = Vector512.Create(a[9]);
            c90 = Fma(a9, b0, c90);
            c91 = Fma(a9, b1, c91);
            var a10 = Vector512.Create(a[10]);
            c100 = Fma(a10, b0, c100);
            c101 = Fma(a10, b1, c101);
            var a11 = Vector512.Create(a[11]);
            c110 = Fma(a11, b0, c110);
            c111 = Fma(a11, b1, c111);
            a += 12;
        }
        c00.Store(tile + 0 * 2 * w);
        c01.Store(tile + 0 * 2 * w + w);
        c10.Store(tile + 1 * 2 * w);
        c11.Store(tile + 1 * 2 * w + w);
        c20.Store(tile + 2 * 2 * w);
        c21.Store(tile + 2 * 2 * w + w);
        c30.Store(tile + 3 * 2 * w);
        c31.Store(tile + 3 * 2 * w + w);
        c40.Store(tile + 4 * 2 * w);
        c41.Store(tile + 4 * 2 * w + w);
        c50.Store(tile + 5 * 2 * w);
        c51.Store(tile + 5 * 2 * w + w);
        c60.Store(tile + 6 * 2 * w);
        c61.Store(tile + 6 * 2 * w + w);
        c70.Store(tile + 7 * 2 * w);
        c71.Store(tile + 7 * 2 * w + w);
        c80.Store(tile + 8 * 2 * w);
        c81.Store(tile + 8 * 2 * w + w);
        c90.Store(tile + 9 * 2 * w);
        c91.Store(tile + 9 * 2 * w + w);
        c100.Store(tile + 10 * 2 * w);
        c101.Store(tile + 10 * 2 * w + w);
        c110.Store(tile + 11 * 2 * w);
        c111.Store(tile + 11 * 2 * w + w);
    }

    /// <summary>As <see cref="Kernel512{T}"/> with A read in place from 12 rows of a row-major matrix:
    /// tile[r, j] = Σ_k a[r·lda + k] · b[off[k] + j] (writes tile). Lets GEMMs whose A operand is already row-major
    /// (conv weights) skip packing it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel512Rows<T>(int kc, T* a, long lda, T* b, int* off, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        nint ls = (nint)(lda * sizeof(T));
        // rows 3i .. 3i+2 at p_i, p_i + ls, p_i + 2·ls: four pointers and one stride fit in registers
        byte* p0 = (byte*)a, p3 = p0 + 3 * ls, p6 = p0 + 6 * ls, p9 = p0 + 9 * ls;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default;
        Vector512<T> c100 = default, c101 = default;
        Vector512<T> c110 = default, c111 = default;
        for (int k = 0; k < kc; k++)
        {
            T* br = b + off[k];
            var b0 = Vector512.Load(br);
            var b1 = Vector512.Load(br + w);
            var a0 = Vector512.Create(*(T*)p0);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            var a1 = Vector512.Create(*(T*)(p0 + ls));
            c10 = Fma(a1, b0, c10);
            c11 = Fma(a1, b1, c11);
            var a2 = Vector512.Create(*(T*)(p0 + 2 * ls));
            c20 = Fma(a2, b0, c20);
            c21 = Fma(a2, b1, c21);
            var a3 = Vector512.Create(*(T*)p3);
            c30 = Fma(a3, b0, c30);
            c31 = Fma(a3, b1, c31);
            var a4 = Vector512.Create(*(T*)(p3 + ls));
            c40 = Fma(a4, b0, c40);
            c41 = Fma(a4, b1, c41);
            var a5 = Vector512.Create(*(T*)(p3 + 2 * ls));
            c50 = Fma(a5, b0, c50);
            c51 = Fma(a5, b1, c51);
            var a6 = Vector512.Create(*(T*)p6);
            c60 = Fma(a6, b0, c60);
            c61 = Fma(a6, b1, c61);
            var a7 = Vector512.Create(*(T*)(p6 + ls));
            c70 = Fma(a7, b0, c70);
            c71 = Fma(a7, b1, c71);
            var a8 = Vector512.Create(*(T*)(p6 + 2 * ls));
            c80 = Fma(a8, b0, c80);
            c81 = Fma(a8, b1, c81);
            var a9 = Vector512.Create(*(T*)p9);
            c90 = Fma(a9, b0, c90);
            c91 = Fma(a9, b1, c91);
            var a10 = Vector512.Create(*(T*)(p9 + ls));
            c100 = Fma(a10, b0, c100);
            c101 = Fma(a10, b1, c101);
            var a11 = Vector512.Create(*(T*)(p9 + 2 * ls));
            c110 = Fma(a11, b0, c110);
            c111 = Fma(a11, b1, c111);
            p0 += sizeof(T);
            p3 += sizeof(T);
            p6 += sizeof(T);
            p9 += sizeof(T);
        }
        c00.Store(tile + 0 * 2 * w);
        c01.Store(tile + 0 * 2 * w + w);
        c10.Store(tile + 1 * 2 * w);
        c11.Store(tile + 1 * 2 * w + w);
        c20.Store(tile + 2 * 2 * w);
        c21.Store(tile + 2 * 2 * w + w);
        c30.Store(tile + 3 * 2 * w);
        c31.Store(tile + 3 * 2 * w + w);
        c40.Store(tile + 4 * 2 * w);
        c41.Store(tile + 4 * 2 * w + w);
        c50.Store(tile + 5 * 2 * w);
        c51.Store(tile + 5 * 2 * w + w);
        c60.Store(tile + 6 * 2 * w);
        c61.Store(tile + 6 * 2 * w + w);
        c70.Store(tile + 7 * 2 * w);
        c71.Store(tile + 7 * 2 * w + w);
        c80.Store(tile + 8 * 2 * w);
        c81.Store(tile + 8 * 2 * w + w);
        c90.Store(tile + 9 * 2 * w);
        c91.Store(tile + 9 * 2 * w + w);
        c100.Store(tile + 10 * 2 * w);
        c101.Store(tile + 10 * 2 * w + w);
        c110.Store(tile + 11 * 2 * w);
        c111.Store(tile + 11 * 2 * w + w);
    }

    /// <summary>As <see cref="Kernel512Rows{T}"/> with the columns of A given by element offsets:
    /// tile[r, j] = Σ_k a[r·lda + aOff[k]] · b[off[k] + j] (writes tile). Lets GEMMs read A in place from a strided view of
    /// conv weights (one phase's taps of w [COut, CIn, K]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel512RowsAt<T>(int kc, T* a, long lda, int* aOff, T* b, int* off, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        nint ls = (nint)(lda * sizeof(T));
        // rows 3i .. 3i+2 at p_i, p_i + ls, p_i + 2·ls: four pointers and one stride fit in registers
        byte* q0 = (byte*)a, q3 = q0 + 3 * ls, q6 = q0 + 6 * ls, q9 = q0 + 9 * ls;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default;
        Vector512<T> c100 = default, c101 = default;
        Vector512<T> c110 = default, c111 = default;
        for (int k = 0; k < kc; k++)
        {
            T* br = b + off[k];
            nint ao = (nint)aOff[k] * sizeof(T);
            byte* p0 = q0 + ao, p3 = q3 + ao, p6 = q6 + ao, p9 = q9 + ao;
            var b0 = Vector512.Load(br);
            var b1 = Vector512.Load(br + w);
            var a0 = Vector512.Create(*(T*)p0);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            var a1 = Vector512.Create(*(T*)(p0 + ls));
            c10 = Fma(a1, b0, c10);
            c11 = Fma(a1, b1, c11);
            var a2 = Vector512.Create(*(T*)(p0 + 2 * ls));
            c20 = Fma(a2, b0, c20);
            c21 = Fma(a2, b1, c21);
            var a3 = Vector512.Create(*(T*)p3);
            c30 = Fma(a3, b0, c30);
            c31 = Fma(a3, b1, c31);
            var a4 = Vector512.Create(*(T*)(p3 + ls));
            c40 = Fma(a4, b0, c40);
            c41 = Fma(a4, b1, c41);
            var a5 = Vector512.Create(*(T*)(p3 + 2 * ls));
            c50 = Fma(a5, b0, c50);
            c51 = Fma(a5, b1, c51);
            var a6 = Vector512.Create(*(T*)p6);
            c60 = Fma(a6, b0, c60);
            c61 = Fma(a6, b1, c61);
            var a7 = Vector512.Create(*(T*)(p6 + ls));
            c70 = Fma(a7, b0, c70);
            c71 = Fma(a7, b1, c71);
            var a8 = Vector512.Create(*(T*)(p6 + 2 * ls));
            c80 = Fma(a8, b0, c80);
            c81 = Fma(a8, b1, c81);
            var a9 = Vector512.Create(*(T*)p9);
            c90 = Fma(a9, b0, c90);
            c91 = Fma(a9, b1, c91);
            var a10 = Vector512.Create(*(T*)(p9 + ls));
            c100 = Fma(a10, b0, c100);
            c101 = Fma(a10, b1, c101);
            var a11 = Vector512.Create(*(T*)(p9 + 2 * ls));
            c110 = Fma(a11, b0, c110);
            c111 = Fma(a11, b1, c111);
        }
        c00.Store(tile + 0 * 2 * w);
        c01.Store(tile + 0 * 2 * w + w);
        c10.Store(tile + 1 * 2 * w);
        c11.Store(tile + 1 * 2 * w + w);
        c20.Store(tile + 2 * 2 * w);
        c21.Store(tile + 2 * 2 * w + w);
        c30.Store(tile + 3 * 2 * w);
        c31.Store(tile + 3 * 2 * w + w);
        c40.Store(tile + 4 * 2 * w);
        c41.Store(tile + 4 * 2 * w + w);
        c50.Store(tile + 5 * 2 * w);
        c51.Store(tile + 5 * 2 * w + w);
        c60.Store(tile + 6 * 2 * w);
        c61.Store(tile + 6 * 2 * w + w);
        c70.Store(tile + 7 * 2 * w);
        c71.Store(tile + 7 * 2 * w + w);
        c80.Store(tile + 8 * 2 * w);
        c81.Store(tile + 8 * 2 * w + w);
        c90.Store(tile + 9 * 2 * w);
        c91.Store(tile + 9 * 2 * w + w);
        c100.Store(tile + 10 * 2 * w);
        c101.Store(tile + 10 * 2 * w + w);
        c110.Store(tile + 11 * 2 * w);
        c111.Store(tile + 11 * 2 * w + w);
    }

    /// <summary>6×(2·Vector256&lt;T&gt;.Count) register tile: tile[r, j] = Σ_k a[k·6 + r] · b[off[k] + j] (writes tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel256<T>(int kc, T* a, T* b, int* off, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default;
        Vector256<T> c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default;
        Vector256<T> c50 = default, c51 = default;
        for (int k = 0; k < kc; k++)
        {
            T* br = b + off[k];
            var b0 = Vector256.Load(br);
            var b1 = Vector256.Load(br + w);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma(a1, b0, c10);
            c11 = Fma(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma(a2, b0, c20);
            c21 = Fma(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma(a3, b0, c30);
            c31 = Fma(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma(a4, b0, c40);
            c41 = Fma(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma(a5, b0, c50);
            c51 = Fma(a5, b1, c51);
            a += 6;
        }
        c00.Store(tile + 0 * 2 * w);
        c01.Store(tile + 0 * 2 * w + w);
        c10.Store(tile + 1 * 2 * w);
        c11.Store(tile + 1 * 2 * w + w);
        c20.Store(tile + 2 * 2 * w);
        c21.Store(tile + 2 * 2 * w + w);
        c30.Store(tile + 3 * 2 * w);
        c31.Store(tile + 3 * 2 * w + w);
        c40.Store(tile + 4 * 2 * w);
        c41.Store(tile + 4 * 2 * w + w);
        c50.Store(tile + 5 * 2 * w);
        c51.Store(tile + 5 * 2 * w + w);
    }
}
