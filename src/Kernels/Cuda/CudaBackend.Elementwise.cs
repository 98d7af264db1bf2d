namespace GanAudio.Kernels.Cuda;

public sealed partial class CudaBackend
{
    public void Copy(in StridedOperand src, int[] shape, DeviceBuffer dst, int dstOffset = 0)
    {
        var s = Cu(src.Buffer);
        var d = Cu(dst);
        var st = TwoOperandLayout.Build(shape, src.Strides, null, out long n);
        CheckRange(d, dstOffset, n, "copy");
        if (n == 0) return;
        var (g, b) = Dev.Grid1D(n);
        Dev.Launch(Modules.Copy(s.DType, d.DType), g, b, 0,
            new KernelArgs().Ptr(s.At(src.Offset)).Ptr(d.At(dstOffset)).I64(n).Struct(st));
    }

    /// <summary>One launch of copy_strided: gathers src and scatters into dst, both strided over the logical shape
    /// (dimensions contiguous in both merged on the host). Converts when the dtypes differ, as <see cref="Copy"/> does.</summary>
    public void CopyStrided(in StridedOperand src, int[] shape, in StridedOperand dst)
    {
        var s = Cu(src.Buffer);
        var d = Cu(dst.Buffer);
        var st = TwoOperandLayout.Build(shape, src.Strides, dst.Strides, out long n);
        if (n == 0) return;
        CheckSpan(s, src.Offset, shape, src.Strides, "copy_strided source");
        CheckSpan(d, dst.Offset, shape, dst.Strides, "copy_strided destination");
        var (g, b) = Dev.Grid1D(n);
        Dev.Launch(Modules.CopyStrided(s.DType, d.DType), g, b, 0,
            new KernelArgs().Ptr(s.At(src.Offset)).Ptr(d.At(dst.Offset)).I64(n).Struct(st));
    }

    /// <summary>Checks that every element a strided view of a non-empty shape addresses lies inside the buffer.</summary>
    private static void CheckSpan(DeviceBuffer b, long offset, int[] shape, int[] strides, string op)
    {
        long lo = offset, hi = offset;
        for (int i = 0; i < shape.Length; i++)
        {
            long ext = (long)(shape[i] - 1) * strides[i];
            if (ext < 0) lo += ext;
            else hi += ext;
        }
        if (lo < 0 || hi >= b.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{op}: elements [{lo}, {hi}] outside a buffer of {b.Length}");
    }

    public void Unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y, int count, double a = 0, double b = 0)
    {
        var xs = Cu(x);
        var ys = Cu(y);
        if (xs.DType != ys.DType) throw new ArgumentException($"unary {op}: dtypes differ ({xs.DType}, {ys.DType})");
        CheckRange(xs, 0, count, "unary", op);
        CheckRange(ys, 0, count, "unary", op);
        if (count == 0) return;
        var (g, bl) = Dev.Grid1D(count);
        Dev.Launch(Modules.Unary(op, xs.DType), g, bl, 0,
            new KernelArgs().Ptr(xs.Pointer).Ptr(ys.Pointer).I64(count).Scalar(xs.DType, a).Scalar(xs.DType, b));
    }

    public void Binary(BinaryOp op, in StridedOperand a, in StridedOperand b, DeviceBuffer y, int[] shape, double p0 = 0, double p1 = 0)
    {
        var aa = Cu(a.Buffer);
        var bb = Cu(b.Buffer);
        var yy = Cu(y);
        if (aa.DType != yy.DType || bb.DType != yy.DType)
            throw new ArgumentException($"binary {op}: dtypes differ ({aa.DType}, {bb.DType}, {yy.DType})");
        var st = TwoOperandLayout.Build(shape, a.Strides, b.Strides, out long n);
        CheckRange(yy, 0, n, "binary", op);
        if (n == 0) return;
        var (g, bl) = Dev.Grid1D(n);
        var t = yy.DType;
        Dev.Launch(Modules.Binary(op, t), g, bl, 0,
            new KernelArgs().Ptr(aa.At(a.Offset)).Ptr(bb.At(b.Offset)).Ptr(yy.Pointer).I64(n).Struct(st).Scalar(t, p0).Scalar(t, p1));
    }

    public void Reduce(ReduceOp op, DeviceBuffer x, DeviceBuffer y, int outer, int n, int inner)
    {
        var xs = Cu(x);
        var ys = Cu(y);
        if (xs.DType != ys.DType) throw new ArgumentException($"reduce {op}: dtypes differ ({xs.DType}, {ys.DType})");
        CheckRange(xs, 0, (long)outer * n * inner, "reduce", op);
        CheckRange(ys, 0, (long)outer * inner, "reduce", op);
        if ((long)outer * inner == 0) return;
        const int block = 256;
        uint grid = inner == 1
            ? (uint)Math.Clamp(outer, 1, Dev.MultiprocessorCount * 32)
            : Dev.Grid1D((long)outer * inner, block).Grid;
        Dev.Launch(Modules.Reduce(op, xs.DType), grid, block, block / 32 * 8,
            new KernelArgs().Ptr(xs.Pointer).Ptr(ys.Pointer).I32(outer).I32(n).I32(inner));
    }

    public void RandomUniform(DeviceBuffer dst, int count, ulong seed, ulong offset, double low, double high) =>
        Random(CudaKernel.RandomUniform, dst, count, seed, offset, low, high);

    public void RandomNormal(DeviceBuffer dst, int count, ulong seed, ulong offset, double mean, double std) =>
        Random(CudaKernel.RandomNormal, dst, count, seed, offset, mean, std);

    private void Random(CudaKernel kernel, DeviceBuffer dst, int count, ulong seed, ulong offset, double p0, double p1)
    {
        var d = Cu(dst);
        CheckRange(d, 0, count, "random", kernel);
        if (count == 0) return;
        ulong blocks = ((offset + (ulong)count - 1) >> 2) - (offset >> 2) + 1;
        var (g, b) = Dev.Grid1D((long)blocks);
        Dev.Launch(Modules.Plain(kernel, d.DType), g, b, 0,
            new KernelArgs().Ptr(d.Pointer).I64(count).U64(seed).U64(offset).F64(p0).F64(p1));
    }
}
