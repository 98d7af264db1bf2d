using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

/// <summary>Phase shuffle forward and backward (see <see cref="IBackend.PhaseShuffleForward"/>). Each row [b, c] is a
/// contiguous shifted copy plus |s| reflected edge samples, so a row costs one memmove (forward) or one SIMD pass
/// (backward) and a few scalar stores. Rows are split into fixed chunks: results do not depend on the thread count.</summary>
public sealed partial class CpuBackend
{
    /// <summary>y[b, c, t] = x[b, c, refl(t − s_b)] (=).</summary>
    public void PhaseShuffleForward(DeviceBuffer x, ReadOnlySpan<int> shifts, DeviceBuffer y, int batch, int channels, int length)
    {
        PhaseShuffleIndex.Check("phase_shuffle_fwd", x, y, shifts, batch, channels, length);
        var s = shifts.ToArray();
        if (x.DType == DType.Float32) PhaseShuffleRows(Cpu(x).F32, s, Cpu(y).F32, batch, channels, length, backward: false);
        else PhaseShuffleRows(Cpu(x).F64, s, Cpu(y).F64, batch, channels, length, backward: false);
    }

    /// <summary>gx[b, c, i] = Σ over t with refl(t − s_b) = i of gy[b, c, t] (=), gathered per source index.</summary>
    public void PhaseShuffleBackward(DeviceBuffer gy, ReadOnlySpan<int> shifts, DeviceBuffer gx, int batch, int channels, int length)
    {
        PhaseShuffleIndex.Check("phase_shuffle_bwd", gy, gx, shifts, batch, channels, length);
        var s = shifts.ToArray();
        if (gy.DType == DType.Float32) PhaseShuffleRows(Cpu(gy).F32, s, Cpu(gx).F32, batch, channels, length, backward: true);
        else PhaseShuffleRows(Cpu(gy).F64, s, Cpu(gx).F64, batch, channels, length, backward: true);
    }

    private static void PhaseShuffleRows<T>(T[] src, int[] shifts, T[] dst, int batch, int channels, int length, bool backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long rows = (long)batch * channels;
        if (rows == 0 || length == 0) return;
        int rowsPerChunk = Math.Max(1, 16384 / length);
        int chunks = (int)((rows + rowsPerChunk - 1) / rowsPerChunk);
        // the cost of a chunk is its element count (ForChunks would count rows)
        CpuParallel.For(chunks, (double)rowsPerChunk * length, c =>
        {
            long r0 = (long)c * rowsPerChunk, r1 = Math.Min(rows, r0 + rowsPerChunk);
            for (long r = r0; r < r1; r++)
            {
                int s = shifts[r / channels];
                var a = src.AsSpan((int)(r * length), length);
                var b = dst.AsSpan((int)(r * length), length);
                if (backward) ShuffleRowBackward(a, b, s);
                else ShuffleRowForward(a, b, s);
            }
        });
    }

    /// <summary>One row of the forward: s ≥ 0 gives y = x[s], …, x[1], x[0 .. L − s); s &lt; 0 (m = −s) gives
    /// y = x[m .. L), x[L − 2], …, x[L − 1 − m].</summary>
    private static void ShuffleRowForward<T>(ReadOnlySpan<T> x, Span<T> y, int s)
    {
        int len = x.Length;
        if (s >= 0)
        {
            x[..(len - s)].CopyTo(y[s..]);
            for (int t = 0; t < s; t++) y[t] = x[s - t];
        }
        else
        {
            int m = -s;
            x[m..].CopyTo(y);
            for (int j = 0; j < m; j++) y[len - m + j] = x[len - 2 - j];
        }
    }

    /// <summary>One row of the backward: gx[i] = 0 + gy[i + s] over the direct range (SIMD), +0 elsewhere, then the
    /// reflected terms added: gx[i] += gy[s − i] for 1 ≤ i ≤ s, or gy[2(L − 1) − i + s] for L − 1 + s ≤ i ≤ L − 2.</summary>
    private static void ShuffleRowBackward<T>(ReadOnlySpan<T> gy, Span<T> gx, int s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int len = gy.Length;
        int lo = Math.Max(0, -s), hi = Math.Min(len, len - s);  // direct range: 0 ≤ i + s < L
        gx[..lo].Clear();
        AddZero(gy.Slice(lo + s, hi - lo), gx[lo..hi]);
        gx[hi..].Clear();
        if (s > 0)
            for (int i = 1; i <= s; i++) gx[i] += gy[s - i];
        else
            for (int i = len - 1 + s; i <= len - 2; i++) gx[i] += gy[2 * (len - 1) - i + s];
    }

    /// <summary>dst[i] = 0 + src[i]: a copy that turns −0 into +0, as the sum from +0 that defines the backward does.</summary>
    private static void AddZero<T>(ReadOnlySpan<T> src, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = src.Length, i = 0;
        ref T sr = ref MemoryMarshal.GetReference(src);
        ref T dr = ref MemoryMarshal.GetReference(dst);
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512<T>.Zero + Vector512.LoadUnsafe(ref sr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256<T>.Zero + Vector256.LoadUnsafe(ref sr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) dst[i] = T.Zero + src[i];
    }
}
