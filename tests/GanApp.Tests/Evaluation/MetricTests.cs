using GanAudio.App.Evaluation;

namespace GanApp.Tests.Evaluation;

public class MetricTests
{
    [Fact]
    public void InceptionScoreOfUniformPredictionsIsOne()
    {
        var p = Enumerable.Range(0, 100).Select(_ => Enumerable.Repeat(0.25, 4).ToArray()).ToList();
        var (mean, std) = InceptionScore.Compute(p, 10);
        Assert.Equal(1.0, mean, 12);
        Assert.Equal(0.0, std, 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void InceptionScoreOfConfidentEvenPredictionsIsK(int k)
    {
        // 10 splits of 3·k predictions each, every split holding each class equally often
        var p = Enumerable.Range(0, 30 * k).Select(i =>
        {
            var v = new double[k];
            v[i % k] = 1;
            return v;
        }).ToList();
        var (mean, std) = InceptionScore.Compute(p, 10);
        Assert.Equal(k, mean, 9);
        Assert.Equal(0.0, std, 9);
    }

    [Fact]
    public void InceptionScoreOfConfidentSingleClassIsOne()
    {
        var p = Enumerable.Range(0, 50).Select(_ => new[] { 0.0, 1.0, 0.0 }).ToList();
        Assert.Equal(1.0, InceptionScore.Compute(p).Mean, 12);
    }

    [Fact]
    public void InceptionScoreMatchesHandComputedValue()
    {
        // two predictions [0.9, 0.1] and [0.1, 0.9]: p(y) = [0.5, 0.5], KL = 0.9 ln 1.8 + 0.1 ln 0.2 for each
        var p = new List<double[]> { new[] { 0.9, 0.1 }, new[] { 0.1, 0.9 } };
        double expected = Math.Exp(0.9 * Math.Log(1.8) + 0.1 * Math.Log(0.2));
        Assert.Equal(expected, InceptionScore.Compute(p, 1).Mean, 12);
    }

    [Fact]
    public void FrechetDistanceOfIdenticalGaussiansIsZero()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)rng.NextDouble()).ToArray()).ToList();
        var g = Gaussian.Fit(x);
        Assert.Equal(0.0, Frechet.Distance(g, g), 9);
        Assert.Equal(0.0, Frechet.Distance(x, x), 9);
    }

    [Fact]
    public void FrechetDistanceOfDiagonalGaussiansMatchesClosedForm()
    {
        // FD = Σ (μ1 − μ2)² + (σ1 − σ2)² when both covariances are diagonal
        double[] m1 = [0, 1, -2, 3], m2 = [1, 1, 0, -1], v1 = [1, 4, 0.25, 2], v2 = [9, 1, 0.25, 0.5];
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += Math.Pow(m1[i] - m2[i], 2) + Math.Pow(Math.Sqrt(v1[i]) - Math.Sqrt(v2[i]), 2);
        Assert.Equal(expected, Frechet.Distance(new Gaussian(m1, Diag(v1)), new Gaussian(m2, Diag(v2))), 9);
    }

    [Fact]
    public void FrechetDistanceIsInvariantToAJointRotation()
    {
        // rotating both Gaussians by the same orthogonal matrix must not change the distance (non-diagonal covariances)
        double[] m1 = [0, 1, 2], m2 = [1, -1, 0.5], v1 = [1, 2, 3], v2 = [0.5, 4, 1];
        double expected = Frechet.Distance(new Gaussian(m1, Diag(v1)), new Gaussian(m2, Diag(v2)));
        var q = Rotation(0.7, 0.3);
        var a = new Gaussian(Apply(q, m1), Conj(q, Diag(v1)));
        var b = new Gaussian(Apply(q, m2), Conj(q, Diag(v2)));
        Assert.Equal(expected, Frechet.Distance(a, b), 9);
        Assert.Equal(Frechet.Distance(a, b), Frechet.Distance(b, a), 9);
    }

    [Fact]
    public void SymmetricEigenReconstructsTheMatrix()
    {
        var rng = new Random(5);
        int n = 12;
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) m[i, j] = m[j, i] = rng.NextDouble() - 0.5;
        var (values, v) = SymmetricEigen.Decompose(m);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, o = 0;
                for (int k = 0; k < n; k++)
                {
                    s += v[i, k] * values[k] * v[j, k];
                    o += v[k, i] * v[k, j];
                }
                Assert.Equal(m[i, j], s, 10);
                Assert.Equal(i == j ? 1 : 0, o, 10);
            }
        var spd = Conj(Rotation(0.2, 1.1), Diag([4, 9, 16]));
        var r = SymmetricEigen.Sqrt(spd);
        var rr = Mul(r, r);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(spd[i, j], rr[i, j], 10);
    }

    [Fact]
    public void NearestNeighbourFindsTheClosestReference()
    {
        // one band, no shifts: the RMS of the difference after removing its mean
        var refs = new List<float[]> { new float[] { 0, 0, 0 }, new float[] { 3, 4, 5 } };
        var d = NearestNeighbour.Distances([new float[] { 13, 14, 15 }, new float[] { 1, 0, 0 }], refs);
        Assert.Equal(0.0, d[0], 6); // a level change of the second reference
        Assert.Equal(Math.Sqrt(2.0 / 9), d[1], 6); // (1, 0, 0) − its mean 1/3 against the first
    }

    [Fact]
    public void NearestNeighbourFindsShiftedCopies()
    {
        const int bands = 8, frames = 40;
        var rng = new Random(11);
        float[] Random() => Enumerable.Range(0, bands * frames).Select(_ => (float)rng.NextDouble()).ToArray();
        var refs = Enumerable.Range(0, 5).Select(_ => Random()).ToList();
        // a copy of reference 3 moved 9 frames later (new frames at the start), plus a level change
        var shifted = new float[bands * frames];
        for (int b = 0; b < bands; b++)
            for (int t = 0; t < frames; t++) shifted[b * frames + t] = t >= 9 ? refs[3][b * frames + t - 9] + 2 : (float)rng.NextDouble();
        var unrelated = Random();
        var exact = NearestNeighbour.Distances([shifted, unrelated], refs, bands, maxShift: frames / 2);
        var aligned = NearestNeighbour.Distances([shifted, unrelated], refs, bands);
        Assert.Equal(0.0, exact[0], 5);
        Assert.True(aligned[0] > 0.3, $"unshifted distance {aligned[0]}");
        Assert.True(exact[1] > 0.3, $"an unrelated clip came within {exact[1]}");
        // the same, element by element, as the definition
        double brute = double.MaxValue;
        foreach (var r in refs)
            for (int lag = -20; lag <= 20; lag++)
            {
                var diffs = new List<double>();
                for (int b = 0; b < bands; b++)
                    for (int t = Math.Max(0, -lag); t < frames - Math.Max(0, lag); t++) diffs.Add(unrelated[b * frames + t] - r[b * frames + t + lag]);
                double mean = diffs.Average();
                brute = Math.Min(brute, diffs.Average(x => (x - mean) * (x - mean)));
            }
        Assert.Equal(Math.Sqrt(brute), exact[1], 5);
    }

    private static double[,] Diag(double[] v)
    {
        var m = new double[v.Length, v.Length];
        for (int i = 0; i < v.Length; i++) m[i, i] = v[i];
        return m;
    }

    private static double[,] Rotation(double a, double b)
    {
        double[,] rz = { { Math.Cos(a), -Math.Sin(a), 0 }, { Math.Sin(a), Math.Cos(a), 0 }, { 0, 0, 1 } };
        double[,] rx = { { 1, 0, 0 }, { 0, Math.Cos(b), -Math.Sin(b) }, { 0, Math.Sin(b), Math.Cos(b) } };
        return Mul(rz, rx);
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) r[i, j] += a[i, k] * b[k, j];
        return r;
    }

    private static double[,] Conj(double[,] q, double[,] m)
    {
        int n = q.GetLength(0);
        var qt = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) qt[i, j] = q[j, i];
        return Mul(Mul(q, m), qt);
    }

    private static double[] Apply(double[,] q, double[] x)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            for (int k = 0; k < x.Length; k++) r[i] += q[i, k] * x[k];
        return r;
    }
}
