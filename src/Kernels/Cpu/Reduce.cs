using System.Numerics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>Fixed piece length for reductions of one long axis: partial results are combined in piece order,
    /// so the result does not depend on the thread count.</summary>
    private const int ReducePiece = 1 << 14;

    public void Reduce(ReduceOp op, DeviceBuffer x, DeviceBuffer y, int outer, int n, int inner)
    {
        var xs = Cpu(x);
        var ys = Cpu(y);
        if (xs.DType != ys.DType) throw new ArgumentException($"reduce {op}: dtypes differ ({xs.DType}, {ys.DType})");
        if (xs.DType == DType.Float32) ReduceTyped(op, xs.F32, ys.F32, outer, n, inner);
        else if (xs.DType == DType.Float64) ReduceTyped(op, xs.F64, ys.F64, outer, n, inner);
        else throw DTypeExtensions.Unsupported(xs.DType, "reduce");
    }

    private static double Init(ReduceOp op) =>
        op switch { ReduceOp.Max => double.NegativeInfinity, ReduceOp.Min => double.PositiveInfinity, _ => 0.0 };

    private static double Combine(ReduceOp op, double acc, double v) => op switch
    {
        ReduceOp.Max => Math.Max(acc, v),
        ReduceOp.Min => Math.Min(acc, v),
        ReduceOp.SumSquares => acc + v * v,
        _ => acc + v,
    };

    /// <summary>Combines two partial results (sums add; max/min compare).</summary>
    private static double Merge(ReduceOp op, double a, double b) => op switch
    {
        ReduceOp.Max => Math.Max(a, b),
        ReduceOp.Min => Math.Min(a, b),
        _ => a + b,
    };

    private static void ReduceTyped<T>(ReduceOp op, T[] x, T[] y, int outer, int n, int inner) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (outer == 0 || inner == 0) return;
        if (inner == 1)
        {
            if (outer == 1 && n > 2 * ReducePiece)
            {
                int pieces = (n + ReducePiece - 1) / ReducePiece;
                var part = new double[pieces];
                CpuParallel.For(pieces, ReducePiece, p =>
                {
                    int s = p * ReducePiece, e = Math.Min(n, s + ReducePiece);
                    part[p] = ReduceContiguous(op, x, s, e);
                });
                double acc = Init(op);
                foreach (double v in part) acc = Merge(op, acc, v);
                y[0] = T.CreateTruncating(op == ReduceOp.Mean ? acc / n : acc);
                return;
            }
            CpuParallel.For(outer, n, o =>
            {
                double acc = ReduceContiguous(op, x, (long)o * n, (long)o * n + n);
                y[o] = T.CreateTruncating(op == ReduceOp.Mean ? acc / n : acc);
            });
            return;
        }
        CpuParallel.For(outer, (double)n * inner, o =>
        {
            var acc = new double[inner];
            Array.Fill(acc, Init(op));
            for (int j = 0; j < n; j++)
            {
                long row = ((long)o * n + j) * inner;
                for (int i = 0; i < inner; i++) acc[i] = Combine(op, acc[i], double.CreateTruncating(x[row + i]));
            }
            long yo = (long)o * inner;
            for (int i = 0; i < inner; i++) y[yo + i] = T.CreateTruncating(op == ReduceOp.Mean ? acc[i] / n : acc[i]);
        });
    }

    /// <summary>Reduces x[s..e) with four interleaved double accumulators.</summary>
    private static double ReduceContiguous<T>(ReduceOp op, T[] x, long s, long e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a0 = Init(op), a1 = a0, a2 = a0, a3 = a0;
        long i = s;
        for (; i + 4 <= e; i += 4)
        {
            a0 = Combine(op, a0, double.CreateTruncating(x[i]));
            a1 = Combine(op, a1, double.CreateTruncating(x[i + 1]));
            a2 = Combine(op, a2, double.CreateTruncating(x[i + 2]));
            a3 = Combine(op, a3, double.CreateTruncating(x[i + 3]));
        }
        for (; i < e; i++) a0 = Combine(op, a0, double.CreateTruncating(x[i]));
        return Merge(op, Merge(op, a0, a1), Merge(op, a2, a3));
    }
}
