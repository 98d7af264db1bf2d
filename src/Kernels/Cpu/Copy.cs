using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Copy(in StridedOperand src, int[] shape, DeviceBuffer dst, int dstOffset = 0)
    {
        var s = Cpu(src.Buffer);
        var d = Cpu(dst);
        var lay = new StridedLayout(shape, src.Strides, null);
        if (lay.Numel == 0) return;
        s.DType.RequireSupported("copy");
        d.DType.RequireSupported("copy");  // below, a dtype that is not float32 is float64
        if (s.DType == d.DType && TransposedCopy(s, src.Offset, lay, d, dstOffset)) return;
        int inner = lay.Inner, stride = lay.StridesA[^1];
        int srcOff = src.Offset;
        long rows = lay.Rows;
        int rowsPerChunk = (int)Math.Max(1, 16384 / Math.Max(1, inner));
        CpuParallel.ForChunks(rows, rowsPerChunk, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                long so = srcOff + lay.RowOffsets(r).A;
                long dOff = dstOffset + r * inner;
                if (s.DType == DType.Float32 && d.DType == DType.Float32) CopyRow(s.F32, so, stride, d.F32, dOff, inner);
                else if (s.DType == DType.Float64 && d.DType == DType.Float64) CopyRow(s.F64, so, stride, d.F64, dOff, inner);
                else if (s.DType == DType.Float32)
                {
                    var sa = s.F32;
                    var da = d.F64;
                    for (int i = 0; i < inner; i++) da[dOff + i] = sa[so + (long)i * stride];
                }
                else
                {
                    var sa = s.F64;
                    var da = d.F32;
                    for (int i = 0; i < inner; i++) da[dOff + i] = (float)sa[so + (long)i * stride];
                }
            }
        });
    }

    private const int TransposeTile = 16, TransposeColumns = 8;

    /// <summary>A permuted copy whose source is contiguous along a dimension other than the last (a transpose, e.g.
    /// torch.permute(…).contiguous()): row by row it would read one element per cache line; here each 16 × 8 tile of
    /// (that dimension, the last) is read along the source's contiguous rows (16 elements, a cache line of float32) and
    /// written along the destination's. The caller's layout bounds every index (the row copy's contract).
    /// Same dtype only; false when the layout is not of that kind (then the row copy runs).</summary>
    private static bool TransposedCopy(CpuBuffer s, int srcOffset, StridedLayout lay, CpuBuffer d, int dstOffset)
    {
        int rank = lay.Rank, last = rank - 1;
        if (rank < 2 || lay.StridesA[last] <= 1) return false;
        int j = Array.LastIndexOf(lay.StridesA, 1, last - 1);
        if (j < 0) return false;
        var dstStrides = new long[rank];
        long size = 1;
        for (int k = last; k >= 0; k--)
        {
            dstStrides[k] = size;
            size *= lay.Shape[k];
        }
        int nj = lay.Shape[j], nl = lay.Shape[last], tiles = (nj + TransposeTile - 1) / TransposeTile;
        long outer = size / ((long)nj * nl);
        var outerDims = new int[rank - 2];
        for (int k = 0, o = 0; k < last; k++)
            if (k != j) outerDims[o++] = k;
        var job = new TransposeJob(lay.Shape, lay.StridesA, dstStrides, outerDims, j, srcOffset, dstOffset, tiles);
        int jobsPerChunk = (int)Math.Max(1, 16384 / ((long)TransposeTile * nl));
        if (s.DType == DType.Float32) CpuParallel.ForChunks(outer * tiles, jobsPerChunk, (a, b) => job.Run(s.F32, d.F32, a, b));
        else CpuParallel.ForChunks(outer * tiles, jobsPerChunk, (a, b) => job.Run(s.F64, d.F64, a, b));
        return true;
    }

    private sealed record TransposeJob(int[] Shape, int[] Src, long[] Dst, int[] OuterDims, int J, int SrcOffset, int DstOffset, int Tiles)
    {
        /// <summary>Jobs a … b − 1: job = outer index × tiles + tile of rows along dimension J, all columns.</summary>
        public void Run<T>(T[] src, T[] dst, long a, long b)
        {
            int last = Shape.Length - 1, nj = Shape[J], nl = Shape[last], sl = Src[last];
            long dj = Dst[J];
            for (long job = a; job < b; job++)
            {
                long rest = job / Tiles, so = SrcOffset, dOff = DstOffset;
                int j0 = (int)(job % Tiles) * TransposeTile, j1 = Math.Min(nj, j0 + TransposeTile);
                for (int q = OuterDims.Length - 1; q >= 0; q--)
                {
                    int k = OuterDims[q];
                    long idx = rest % Shape[k];
                    rest /= Shape[k];
                    so += idx * Src[k];
                    dOff += idx * Dst[k];
                }
                ref T d0 = ref MemoryMarshal.GetArrayDataReference(dst);
                ref T s0 = ref MemoryMarshal.GetArrayDataReference(src);
                // 8 source rows at a time: with the power-of-two strides of permuted tensors more would share an L1 set
                for (int l0 = 0; l0 < nl; l0 += TransposeColumns)
                {
                    int l1 = Math.Min(nl, l0 + TransposeColumns);
                    for (int jj = j0; jj < j1; jj++)
                    {
                        ref T drow = ref Unsafe.Add(ref d0, (nint)(dOff + jj * dj));
                        ref T srow = ref Unsafe.Add(ref s0, (nint)(so + jj));
                        for (int l = l0; l < l1; l++) Unsafe.Add(ref drow, l) = Unsafe.Add(ref srow, (nint)((long)l * sl));
                    }
                }
            }
        }
    }

    private static void CopyRow<T>(T[] src, long so, int stride, T[] dst, long dOff, int inner)
    {
        if (stride == 1) Array.Copy(src, so, dst, dOff, inner);
        else if (stride == 0) dst.AsSpan((int)dOff, inner).Fill(src[so]);
        else
            for (int i = 0; i < inner; i++) dst[dOff + i] = src[so + (long)i * stride];
    }

    public void CopyStrided(in StridedOperand src, int[] shape, in StridedOperand dst)
    {
        var s = Cpu(src.Buffer);
        var d = Cpu(dst.Buffer);
        var lay = new StridedLayout(shape, src.Strides, dst.Strides);
        if (lay.Numel == 0) return;
        s.DType.RequireSupported("copy");
        d.DType.RequireSupported("copy");  // below, a dtype that is not float32 is float64
        int inner = lay.Inner, ss = lay.StridesA[^1], ds = lay.StridesB[^1];
        int so0 = src.Offset, do0 = dst.Offset;
        int rowsPerChunk = (int)Math.Max(1, 16384 / Math.Max(1, inner));
        CpuParallel.ForChunks(lay.Rows, rowsPerChunk, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                var (oa, ob) = lay.RowOffsets(r);
                long so = so0 + oa, dOff = do0 + ob;
                if (s.DType == DType.Float32 && d.DType == DType.Float32) ScatterRow(s.F32, so, ss, d.F32, dOff, ds, inner);
                else if (s.DType == DType.Float64 && d.DType == DType.Float64) ScatterRow(s.F64, so, ss, d.F64, dOff, ds, inner);
                else if (s.DType == DType.Float32)
                {
                    var sa = s.F32;
                    var da = d.F64;
                    for (int i = 0; i < inner; i++) da[dOff + (long)i * ds] = sa[so + (long)i * ss];
                }
                else
                {
                    var sa = s.F64;
                    var da = d.F32;
                    for (int i = 0; i < inner; i++) da[dOff + (long)i * ds] = (float)sa[so + (long)i * ss];
                }
            }
        });
    }

    private static void ScatterRow<T>(T[] src, long so, int ss, T[] dst, long dOff, int ds, int inner)
    {
        if (ss == 1 && ds == 1) Array.Copy(src, so, dst, dOff, inner);
        else
            for (int i = 0; i < inner; i++) dst[dOff + (long)i * ds] = src[so + (long)i * ss];
    }
}
