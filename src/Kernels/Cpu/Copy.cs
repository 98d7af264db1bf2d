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
