using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    private const int ElementChunk = 1 << 15;

    public void Unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y, int count, double a = 0, double b = 0)
    {
        var xs = Cpu(x);
        var ys = Cpu(y);
        if (xs.DType != ys.DType) throw new ArgumentException($"unary {op}: dtypes differ ({xs.DType}, {ys.DType})");
        if (xs.DType == DType.Float32) UnaryTyped(op, xs.F32, ys.F32, count, (float)a, (float)b);
        else if (xs.DType == DType.Float64) UnaryTyped(op, xs.F64, ys.F64, count, a, b);
        else throw DTypeExtensions.Unsupported(xs.DType, "unary");
    }

    private static void UnaryTyped<T>(UnaryOp op, T[] x, T[] y, int count, T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (SimpleUnary<T>.Supports(op))
        {
            var o = new SimpleUnary<T>(op, a, b);
            CpuParallel.ForChunks(count, ElementChunk, (s, e) => UnaryRun(o, x, y, (int)s, (int)e));
        }
        else if (typeof(T) == typeof(float) && VectorMathUnary.Supports(op))
        {
            var o = new VectorMathUnary(op);
            var xf = (float[])(object)x;
            var yf = (float[])(object)y;
            CpuParallel.ForChunks(count, ElementChunk / 2, (s, e) => UnaryRun<float, VectorMathUnary>(o, xf, yf, (int)s, (int)e));
        }
        else
        {
            var o = new ScalarUnary<T>(op, a);
            CpuParallel.ForChunks(count, ElementChunk / 8, (s, e) => UnaryRun(o, x, y, (int)s, (int)e));
        }
    }

    /// <summary>The unary driver: Vector512 blocks where accelerated, else Vector256, then a scalar tail.</summary>
    internal static void UnaryRun<T, TOp>(TOp op, T[] x, T[] y, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
    {
        int i = start;
        ref T xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref T yr = ref MemoryMarshal.GetArrayDataReference(y);
        if (op.Vectorizable)
        {
            if (Vector512.IsHardwareAccelerated)
                for (; i <= end - Vector512<T>.Count; i += Vector512<T>.Count)
                    op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            if (Vector256.IsHardwareAccelerated)
                for (; i <= end - Vector256<T>.Count; i += Vector256<T>.Count)
                    op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < end; i++) Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }

    public void Binary(BinaryOp op, in StridedOperand a, in StridedOperand b, DeviceBuffer y, int[] shape, double p0 = 0, double p1 = 0)
    {
        var aa = Cpu(a.Buffer);
        var bb = Cpu(b.Buffer);
        var yy = Cpu(y);
        if (aa.DType != yy.DType || bb.DType != yy.DType)
            throw new ArgumentException($"binary {op}: dtypes differ ({aa.DType}, {bb.DType}, {yy.DType})");
        var lay = new StridedLayout(shape, a.Strides, b.Strides);
        if (yy.DType == DType.Float32)
            BinaryTyped(new BinaryOperator<float>(op, (float)p0, (float)p1), aa.F32, a.Offset, bb.F32, b.Offset, yy.F32, lay);
        else if (yy.DType == DType.Float64)
            BinaryTyped(new BinaryOperator<double>(op, p0, p1), aa.F64, a.Offset, bb.F64, b.Offset, yy.F64, lay);
        else throw DTypeExtensions.Unsupported(yy.DType, "binary");
    }

    private static void BinaryTyped<T>(BinaryOperator<T> op, T[] a, int aOff, T[] b, int bOff, T[] y, StridedLayout lay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long rows = lay.Rows;
        int inner = lay.Inner;
        if (rows * inner == 0) return;
        int sa = lay.StridesA[^1], sb = lay.StridesB[^1];
        int rowsPerChunk = (int)Math.Max(1, ElementChunk / Math.Max(1, inner));
        if (rows == 1)
        {
            // one long row: split the row itself
            CpuParallel.ForChunks(inner, ElementChunk, (s, e) =>
                BinaryRow(op, a, aOff + s * sa, sa, b, bOff + s * sb, sb, y, s, (int)(e - s)));
            return;
        }
        CpuParallel.ForChunks(rows, rowsPerChunk, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                var (oa, ob) = lay.RowOffsets(r);
                BinaryRow(op, a, aOff + oa, sa, b, bOff + ob, sb, y, r * inner, inner);
            }
        });
    }

    /// <summary>One row of a binary op: y[yo + i] = op(a[ao + i·sa], b[bo + i·sb]), vectorised when both strides are 0 or 1.</summary>
    internal static void BinaryRow<T, TOp>(TOp op, T[] a, long ao, int sa, T[] b, long bo, int sb, T[] y, long yo, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        if (n <= 0) return;
        ref T ar = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), (nint)ao);
        ref T br = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), (nint)bo);
        ref T yr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)yo);
        int i = 0;
        if (op.Vectorizable && sa is 0 or 1 && sb is 0 or 1)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                int w = Vector512<T>.Count;
                var av = Vector512.Create(ar);
                var bv = Vector512.Create(br);
                for (; i <= n - w; i += w)
                {
                    var x = sa == 1 ? Vector512.LoadUnsafe(ref ar, (nuint)i) : av;
                    var z = sb == 1 ? Vector512.LoadUnsafe(ref br, (nuint)i) : bv;
                    op.Invoke(x, z).StoreUnsafe(ref yr, (nuint)i);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                int w = Vector256<T>.Count;
                var av = Vector256.Create(ar);
                var bv = Vector256.Create(br);
                for (; i <= n - w; i += w)
                {
                    var x = sa == 1 ? Vector256.LoadUnsafe(ref ar, (nuint)i) : av;
                    var z = sb == 1 ? Vector256.LoadUnsafe(ref br, (nuint)i) : bv;
                    op.Invoke(x, z).StoreUnsafe(ref yr, (nuint)i);
                }
            }
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref ar, (nint)i * sa), Unsafe.Add(ref br, (nint)i * sb));
    }
}
