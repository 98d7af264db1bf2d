namespace GanAudio.Bench;

/// <summary>The cyclic Jacobi eigen-decomposition GanApp used before MathNet.Numerics replaced it (kept here so the
/// numerics suite can still measure the two side by side): A = V·diag(λ)·Vᵀ with V orthogonal.</summary>
public static class JacobiEigen
{
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix, int maxSweeps = 100)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException("matrix is not square");
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    total += a[i, j] * a[i, j];
                    if (i != j) off += a[i, j] * a[i, j];
                }
            if (off <= 1e-30 * Math.Max(total, 1e-300)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p, q] != 0) Rotate(a, v, p, q);
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i, i];
        return (values, v);
    }

    /// <summary>One Jacobi rotation in the (p, q) plane that zeroes a[p, q]; accumulates the rotation into v.</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        int n = a.GetLength(0);
        double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }
}
