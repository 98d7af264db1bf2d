namespace GanAudio.Kernels.Reference;

/// <summary>Scalar twins of every backend kernel: plain loops over double arrays with double accumulators.
/// Same names and semantics as <see cref="IBackend"/>; tests compare the SIMD and CUDA kernels against these.</summary>
public static partial class RefKernels
{
    public static void Fill(double[] dst, int offset, int count, double value)
    {
        for (int i = 0; i < count; i++) dst[offset + i] = value;
    }

    public static void Arange(double[] dst, int count, double start, double step)
    {
        for (int i = 0; i < count; i++) dst[i] = start + i * step;
    }

    /// <summary>Offset of logical index <paramref name="linear"/> (row-major over shape) in a strided operand.</summary>
    public static long StridedOffset(long linear, int[] shape, int[] strides, int offset)
    {
        long off = offset;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0) return offset;
            long idx = linear % shape[d];
            linear /= shape[d];
            off += idx * strides[d];
        }
        return off;
    }

    public static long Numel(int[] shape)
    {
        long n = 1;
        foreach (int s in shape) n *= s;
        return n;
    }

    public static void Copy(double[] src, int srcOffset, int[] srcStrides, int[] shape, double[] dst, int dstOffset)
    {
        long n = Numel(shape);
        for (long i = 0; i < n; i++) dst[dstOffset + i] = src[StridedOffset(i, shape, srcStrides, srcOffset)];
    }

    /// <summary>CopyStrided: dst[view] = src[view] element by element; <paramref name="toFloat"/> rounds each value to
    /// float32 (a float32 destination).</summary>
    public static void CopyStrided(double[] src, int srcOffset, int[] srcStrides, int[] shape, double[] dst, int dstOffset, int[] dstStrides,
        bool toFloat)
    {
        long n = Numel(shape);
        for (long i = 0; i < n; i++)
        {
            double v = src[StridedOffset(i, shape, srcStrides, srcOffset)];
            dst[StridedOffset(i, shape, dstStrides, dstOffset)] = toFloat ? (float)v : v;
        }
    }

    public static void Unary(UnaryOp op, double[] x, double[] y, int count, double a = 0, double b = 0)
    {
        for (int i = 0; i < count; i++) y[i] = ScalarOps.Unary(op, x[i], a, b);
    }

    public static void Binary(BinaryOp op, double[] a, int aOffset, int[] aStrides, double[] b, int bOffset, int[] bStrides,
        double[] y, int[] shape, double p0 = 0, double p1 = 0)
    {
        long n = Numel(shape);
        for (long i = 0; i < n; i++)
        {
            double av = a[StridedOffset(i, shape, aStrides, aOffset)];
            double bv = b[StridedOffset(i, shape, bStrides, bOffset)];
            y[i] = ScalarOps.Binary(op, av, bv, p0, p1);
        }
    }

    public static void Reduce(ReduceOp op, double[] x, double[] y, int outer, int n, int inner)
    {
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            double acc = op switch { ReduceOp.Max => double.NegativeInfinity, ReduceOp.Min => double.PositiveInfinity, _ => 0.0 };
            for (int j = 0; j < n; j++)
            {
                double v = x[((long)o * n + j) * inner + i];
                acc = op switch
                {
                    ReduceOp.Max => Math.Max(acc, v),
                    ReduceOp.Min => Math.Min(acc, v),
                    ReduceOp.SumSquares => acc + v * v,
                    _ => acc + v,
                };
            }
            y[(long)o * inner + i] = op == ReduceOp.Mean ? acc / n : acc;
        }
    }

    public static void Gemm(in GemmArgs g, double[] a, double[] b, double[] c)
    {
        for (int bt = 0; bt < g.Batch; bt++)
        {
            long oa = g.OffsetA + bt * g.StrideA, ob = g.OffsetB + bt * g.StrideB, oc = g.OffsetC + bt * g.StrideC;
            for (int m = 0; m < g.M; m++)
            for (int n = 0; n < g.N; n++)
            {
                double acc = 0;
                for (int k = 0; k < g.K; k++)
                {
                    double av = g.TransA ? a[oa + (long)k * g.M + m] : a[oa + (long)m * g.K + k];
                    double bv = g.TransB ? b[ob + (long)n * g.K + k] : b[ob + (long)k * g.N + n];
                    acc += av * bv;
                }
                long ci = oc + (long)m * g.N + n;
                c[ci] = g.Alpha * acc + (g.Beta == 0 ? 0 : g.Beta * c[ci]);
            }
        }
    }

    public static void Conv1dForward(in Conv1dGeometry g, double[] x, double[] w, double[]? bias, double[] y)
    {
        for (int bt = 0; bt < g.Batch; bt++)
        for (int o = 0; o < g.COut; o++)
        for (int t = 0; t < g.LOut; t++)
        {
            double acc = bias is null ? 0 : bias[o];
            for (int c = 0; c < g.CIn; c++)
            for (int k = 0; k < g.Kernel; k++)
            {
                int s = t * g.Stride + k - g.Padding;
                if (s < 0 || s >= g.LIn) continue;
                acc += w[((long)o * g.CIn + c) * g.Kernel + k] * x[((long)bt * g.CIn + c) * g.LIn + s];
            }
            y[((long)bt * g.COut + o) * g.LOut + t] = acc;
        }
    }

    public static void Conv1dBackwardData(in Conv1dGeometry g, double[] gy, double[] w, double[] gx)
    {
        for (int bt = 0; bt < g.Batch; bt++)
        for (int c = 0; c < g.CIn; c++)
        for (int s = 0; s < g.LIn; s++)
        {
            double acc = 0;
            for (int k = 0; k < g.Kernel; k++)
            {
                int num = s + g.Padding - k;
                if (num < 0 || num % g.Stride != 0) continue;
                int t = num / g.Stride;
                if (t >= g.LOut) continue;
                for (int o = 0; o < g.COut; o++)
                    acc += w[((long)o * g.CIn + c) * g.Kernel + k] * gy[((long)bt * g.COut + o) * g.LOut + t];
            }
            gx[((long)bt * g.CIn + c) * g.LIn + s] = acc;
        }
    }

    public static void Conv1dBackwardWeight(in Conv1dGeometry g, double[] x, double[] gy, double[] gw)
    {
        for (int o = 0; o < g.COut; o++)
        for (int c = 0; c < g.CIn; c++)
        for (int k = 0; k < g.Kernel; k++)
        {
            double acc = 0;
            for (int bt = 0; bt < g.Batch; bt++)
            for (int t = 0; t < g.LOut; t++)
            {
                int s = t * g.Stride + k - g.Padding;
                if (s < 0 || s >= g.LIn) continue;
                acc += x[((long)bt * g.CIn + c) * g.LIn + s] * gy[((long)bt * g.COut + o) * g.LOut + t];
            }
            gw[((long)o * g.CIn + c) * g.Kernel + k] = acc;
        }
    }

    public static void RandomUniform(double[] dst, int count, ulong seed, ulong offset, double low, double high)
    {
        for (int i = 0; i < count; i++) dst[i] = Philox.Uniform(seed, offset + (ulong)i, low, high);
    }

    public static void RandomNormal(double[] dst, int count, ulong seed, ulong offset, double mean, double std)
    {
        for (int i = 0; i < count; i++) dst[i] = mean + std * Philox.Normal(seed, offset + (ulong)i);
    }

    public static void AdamStep(double[] p, double[] g, double[] m, double[] v, double[]? vMax, int count, in AdamArgs a)
    {
        for (int i = 0; i < count; i++)
        {
            double gi = g[i] + a.WeightDecay * p[i];
            m[i] += (1 - a.Beta1) * (gi - m[i]);
            v[i] = a.Beta2 * v[i] + (1 - a.Beta2) * gi * gi;
            double vh = v[i];
            if (vMax is not null)
            {
                vMax[i] = Math.Max(vMax[i], v[i]);
                vh = vMax[i];
            }
            p[i] -= a.StepSize * m[i] / (Math.Sqrt(vh) / a.Bc2Sqrt + a.Eps);
        }
    }

    /// <summary>PhaseShuffleForward (=): y[b, c, t] = x[b, c, refl(t − s_b)].</summary>
    public static void PhaseShuffleForward(double[] x, int[] shifts, double[] y, int batch, int channels, int length)
    {
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        {
            long row = ((long)b * channels + c) * length;
            for (int t = 0; t < length; t++) y[row + t] = x[row + PhaseShuffleIndex.Source(t, shifts[b], length)];
        }
    }

    /// <summary>PhaseShuffleBackward (=): gx[b, c, i] = Σ over t with refl(t − s_b) = i of gy[b, c, t], found by scanning
    /// every t (the definition, not the backends' closed form), summed from +0 with the direct term t = i + s first.</summary>
    public static void PhaseShuffleBackward(double[] gy, int[] shifts, double[] gx, int batch, int channels, int length)
    {
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        {
            long row = ((long)b * channels + c) * length;
            int s = shifts[b];
            for (int i = 0; i < length; i++)
            {
                double acc = 0.0;
                int direct = i + s;
                if (direct >= 0 && direct < length) acc += gy[row + direct];
                for (int t = 0; t < length; t++)
                    if (t != direct && PhaseShuffleIndex.Source(t, s, length) == i) acc += gy[row + t];
                gx[row + i] = acc;
            }
        }
    }
}
