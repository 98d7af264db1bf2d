using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>y = leaky(x + bias[c]) (=), one row of <paramref name="inner"/> elements per (o, c), rows in parallel;
    /// Vector512/Vector256 blocks then a scalar tail, the same formula in each (z &gt; 0 ? z : α·z in the dtype).</summary>
    public void BiasLeakyRelu(DeviceBuffer x, DeviceBuffer bias, DeviceBuffer y, int outer, int channels, int inner, double alpha)
    {
        var xs = Cpu(x);
        var bs = Cpu(bias);
        var ys = Cpu(y);
        long n = (long)outer * channels * inner;
        if (xs.DType != ys.DType || bs.DType != ys.DType)
            throw new ArgumentException($"bias_leaky_relu: dtypes differ ({xs.DType}, {bs.DType}, {ys.DType})");
        if (x.Length < n || y.Length < n || bias.Length < channels)
            throw new ArgumentOutOfRangeException(nameof(x), $"bias_leaky_relu: [{outer}, {channels}, {inner}] outside buffers (x {x.Length}, bias {bias.Length}, y {y.Length})");
        if (n == 0) return;
        if (xs.DType == DType.Float32) BiasLeakyTyped(xs.F32, bs.F32, ys.F32, outer * channels, channels, inner, (float)alpha);
        else BiasLeakyTyped(xs.F64, bs.F64, ys.F64, outer * channels, channels, inner, alpha);
    }

    private static void BiasLeakyTyped<T>(T[] x, T[] b, T[] y, int rows, int channels, int inner, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            CpuParallel.ForChunks(rows, ElementChunk, (s, e) =>
            {
                for (long i = s; i < e; i++)
                {
                    T z = x[i] + b[i % channels];
                    y[i] = z > T.Zero ? z : alpha * z;
                }
            });
            return;
        }
        // rows per piece chosen from the size only, so the split never depends on the thread count
        int rowsPer = Math.Max(1, ElementChunk / inner);
        int pieces = (rows + rowsPer - 1) / rowsPer;
        CpuParallel.For(pieces, (double)rowsPer * inner, p =>
        {
            int r1 = Math.Min(rows, (p + 1) * rowsPer);
            for (int r = p * rowsPer; r < r1; r++) BiasLeakyRow(x, y, r * (long)inner, inner, b[r % channels], alpha);
        });
    }

    private static void BiasLeakyRow<T>(T[] x, T[] y, long start, int n, T bias, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), (nint)start);
        ref T yr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)start);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vb = Vector512.Create(bias);
            var va = Vector512.Create(alpha);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var z = Vector512.LoadUnsafe(ref xr, (nuint)i) + vb;
                Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), z, z * va).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vb = Vector256.Create(bias);
            var va = Vector256.Create(alpha);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var z = Vector256.LoadUnsafe(ref xr, (nuint)i) + vb;
                Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), z, z * va).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T z = Unsafe.Add(ref xr, i) + bias;
            Unsafe.Add(ref yr, i) = z > T.Zero ? z : alpha * z;
        }
    }

    /// <summary>y[r] = √((T)Σ x[r, ·]² + ε): the row sums exactly as <see cref="Reduce"/> forms them for SumSquares (four
    /// interleaved double accumulators; fixed pieces for one long row), so the result is bitwise that of
    /// Reduce(SumSquares) → AddScalar(ε) → Sqrt.</summary>
    public void PerExampleNorm(DeviceBuffer x, DeviceBuffer y, int rows, int n, double eps)
    {
        var xs = Cpu(x);
        var ys = Cpu(y);
        if (xs.DType != ys.DType) throw new ArgumentException($"per_example_norm: dtypes differ ({xs.DType}, {ys.DType})");
        if (x.Length < (long)rows * n || y.Length < rows)
            throw new ArgumentOutOfRangeException(nameof(x), $"per_example_norm: [{rows}, {n}] outside buffers (x {x.Length}, y {y.Length})");
        if (xs.DType == DType.Float32) NormTyped(xs.F32, ys.F32, rows, n, (float)eps);
        else NormTyped(xs.F64, ys.F64, rows, n, eps);
    }

    private static void NormTyped<T>(T[] x, T[] y, int rows, int n, T eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0) return;
        if (rows == 1 && n > 2 * ReducePiece)
        {
            // the same pieces and merge order as ReduceTyped's single-row path
            int pieces = (n + ReducePiece - 1) / ReducePiece;
            var part = new double[pieces];
            CpuParallel.For(pieces, ReducePiece, p =>
            {
                int s = p * ReducePiece, e = Math.Min(n, s + ReducePiece);
                part[p] = ReduceContiguous(ReduceOp.SumSquares, x, s, e);
            });
            double acc = 0;
            foreach (double v in part) acc += v;
            y[0] = T.Sqrt(T.CreateTruncating(acc) + eps);
            return;
        }
        CpuParallel.For(rows, n, r => y[r] = T.Sqrt(T.CreateTruncating(ReduceContiguous(ReduceOp.SumSquares, x, (long)r * n, (long)r * n + n)) + eps));
    }
}
