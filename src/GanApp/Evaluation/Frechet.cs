namespace GanAudio.App.Evaluation;

/// <summary>A Gaussian fit: mean and (unbiased, n − 1) covariance of feature vectors.</summary>
public sealed record Gaussian(double[] Mean, double[,] Covariance)
{
    public int Dim => Mean.Length;

    public static Gaussian Fit(IReadOnlyList<float[]> features)
    {
        int n = features.Count;
        if (n < 2) throw new ArgumentException("a Gaussian fit needs at least two vectors");
        int d = features[0].Length;
        var mean = new double[d];
        foreach (var f in features)
            for (int i = 0; i < d; i++) mean[i] += f[i];
        for (int i = 0; i < d; i++) mean[i] /= n;
        var cov = new double[d, d];
        var c = new double[d];
        foreach (var f in features)
        {
            for (int i = 0; i < d; i++) c[i] = f[i] - mean[i];
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++) cov[i, j] += c[i] * c[j];
        }
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) cov[j, i] = cov[i, j] /= n - 1;
        return new Gaussian(mean, cov);
    }
}

/// <summary>Fréchet distance between two Gaussians (Dowson &amp; Landau 1982; FID/FAD):
/// ‖μ₁ − μ₂‖² + tr(Σ₁) + tr(Σ₂) − 2·tr((Σ₁^½ Σ₂ Σ₁^½)^½). The inner matrix is symmetric positive semi-definite, so both
/// square roots come from symmetric eigen-decompositions (no complex parts to discard).</summary>
public static class Frechet
{
    public static double Distance(Gaussian a, Gaussian b)
    {
        if (a.Dim != b.Dim) throw new ArgumentException($"dimensions differ: {a.Dim} vs {b.Dim}");
        int d = a.Dim;
        double meanTerm = 0;
        for (int i = 0; i < d; i++) meanTerm += (a.Mean[i] - b.Mean[i]) * (a.Mean[i] - b.Mean[i]);
        var s1 = SymmetricEigen.Sqrt(a.Covariance);
        var inner = Multiply(Multiply(s1, b.Covariance), s1);
        for (int i = 0; i < d; i++) // symmetrise away rounding
            for (int j = i + 1; j < d; j++) inner[i, j] = inner[j, i] = 0.5 * (inner[i, j] + inner[j, i]);
        var (values, _) = SymmetricEigen.Decompose(inner);
        double trSqrt = values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        double tr = 0;
        for (int i = 0; i < d; i++) tr += a.Covariance[i, i] + b.Covariance[i, i];
        return Math.Max(0, meanTerm + tr - 2 * trSqrt);
    }

    public static double Distance(IReadOnlyList<float[]> x, IReadOnlyList<float[]> y) => Distance(Gaussian.Fit(x), Gaussian.Fit(y));

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1), k = a.GetLength(1);
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < k; t++)
            {
                double v = a[i, t];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) r[i, j] += v * b[t, j];
            }
        return r;
    }
}
