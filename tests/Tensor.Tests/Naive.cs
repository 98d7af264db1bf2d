namespace GanAudio.Tensors.Tests;

/// <summary>Plain-loop references for forward values (row-major arrays with explicit shapes).</summary>
public static class Naive
{
    public static int[] Strides(int[] shape)
    {
        var st = new int[shape.Length];
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { st[d] = s; s *= shape[d]; }
        return st;
    }

    public static int[] Unravel(int i, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = shape[d] == 0 ? 0 : i % shape[d]; i = shape[d] == 0 ? 0 : i / shape[d]; }
        return idx;
    }

    /// <summary>Element of a (row-major) array of <paramref name="shape"/> at a broadcast index of a larger rank.</summary>
    public static double At(double[] a, int[] shape, int[] idx)
    {
        int off = idx.Length - shape.Length, k = 0, s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            int i = shape[d] == 1 ? 0 : idx[d + off];
            k += i * s;
            s *= shape[d];
        }
        return a[k];
    }

    public static double[] Binary(double[] a, int[] sa, double[] b, int[] sb, int[] outShape, Func<double, double, double> f)
    {
        var r = new double[ShapeUtil.Numel(outShape)];
        for (int i = 0; i < r.Length; i++)
        {
            var idx = Unravel(i, outShape);
            r[i] = f(At(a, sa, idx), At(b, sb, idx));
        }
        return r;
    }

    /// <summary>Reduction over axes with keepDim shape (fold starts from <paramref name="init"/>).</summary>
    public static double[] Reduce(double[] a, int[] shape, int[] axes, double init, Func<double, double, double> fold)
    {
        var kept = (int[])shape.Clone();
        foreach (int ax in axes) kept[ax] = 1;
        var r = Enumerable.Repeat(init, ShapeUtil.Numel(kept)).ToArray();
        var ks = Strides(kept);
        for (int i = 0; i < a.Length; i++)
        {
            var idx = Unravel(i, shape);
            int k = 0;
            for (int d = 0; d < shape.Length; d++) k += (kept[d] == 1 ? 0 : idx[d]) * ks[d];
            r[k] = fold(r[k], a[i]);
        }
        return r;
    }

    public static double[] MatMul(double[] a, double[] b, int batch, int m, int k, int n, bool aBatched, bool bBatched)
    {
        var c = new double[batch * m * n];
        for (int p = 0; p < batch; p++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int t = 0; t < k; t++)
                        s += a[(aBatched ? p * m * k : 0) + i * k + t] * b[(bBatched ? p * k * n : 0) + t * n + j];
                    c[(p * m + i) * n + j] = s;
                }
        return c;
    }

    /// <summary>conv1d: y[b,o,t] = bias[o] + Σ_c Σ_k w[o,c,k] · x[b,c,t·s + k − p].</summary>
    public static double[] Conv1d(double[] x, int batch, int cin, int len, double[] w, int cout, int kernel, double[]? bias, int stride, int pad, out int lout)
    {
        lout = (len + 2 * pad - kernel) / stride + 1;
        var y = new double[batch * cout * lout];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < lout; t++)
                {
                    double s = bias?[o] ?? 0;
                    for (int c = 0; c < cin; c++)
                        for (int k = 0; k < kernel; k++)
                        {
                            int i = t * stride + k - pad;
                            if (i >= 0 && i < len) s += w[(o * cin + c) * kernel + k] * x[(b * cin + c) * len + i];
                        }
                    y[(b * cout + o) * lout + t] = s;
                }
        return y;
    }

    /// <summary>conv_transpose1d: y[b,o,i] += x[b,c,t] · w[c,o,k] where i = t·s + k − p, i in [0, lout).</summary>
    public static double[] ConvTranspose1d(double[] x, int batch, int cin, int len, double[] w, int cout, int kernel, double[]? bias, int stride, int pad, int lout)
    {
        var y = new double[batch * cout * lout];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < cout; o++)
                for (int i = 0; i < lout; i++) y[(b * cout + o) * lout + i] = bias?[o] ?? 0;
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < cin; c++)
                for (int t = 0; t < len; t++)
                    for (int o = 0; o < cout; o++)
                        for (int k = 0; k < kernel; k++)
                        {
                            int i = t * stride + k - pad;
                            if (i >= 0 && i < lout) y[(b * cout + o) * lout + i] += x[(b * cin + c) * len + t] * w[(c * cout + o) * kernel + k];
                        }
        return y;
    }
}
