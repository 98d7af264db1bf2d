using System.Numerics;
using GanAudio.App.Evaluation;

namespace GanApp.Tests.Evaluation;

/// <summary>Our FFT against FftSharp, and the library eigen-decomposition (MathNet.Numerics) on the sizes evaluation uses.
/// Tolerances: FFT within 1e-12 of the spectrum's peak magnitude (measured differences are below 1e-12); eigen-
/// decomposition reconstructs A and VᵀV = I within 1e-10 of A's largest entry; the Fréchet distance within 1e-9 of
/// the closed form.</summary>
public class NumericsLibraryTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(16384)]
    [InlineData(65536)]
    public void OurFftMatchesFftSharp(int n)
    {
        var r = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => new Complex(r.NextDouble() * 2 - 1, r.NextDouble() - 0.5)).ToArray();
        var ours = (Complex[])x.Clone();
        Fft.Forward(ours);
        var lib = (Complex[])x.Clone();
        FftSharp.FFT.Forward(lib);
        double peak = ours.Max(c => c.Magnitude), worst = 0;
        int at = 0;
        for (int i = 0; i < n; i++)
        {
            double d = (ours[i] - lib[i]).Magnitude;
            if (d > worst) (worst, at) = (d, i);
        }
        Assert.True(worst <= 1e-12 * peak, $"n {n}: bin {at} differs by {worst:E2} (peak {peak:E2}): ours {ours[at]}, FftSharp {lib[at]}");
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void LibraryEigenDecomposesCovariances(int d)
    {
        var a = Covariance(d, seed: d);
        var (values, v) = SymmetricEigen.Decompose(a);
        double scale = 0;
        foreach (var e in a) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 1; i < d; i++) Assert.True(values[i] >= values[i - 1], $"eigenvalues not ascending at {i}");
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0, o = 0;
                for (int k = 0; k < d; k++)
                {
                    s += v[i, k] * values[k] * v[j, k];
                    o += v[k, i] * v[k, j];
                }
                Assert.True(Math.Abs(s - a[i, j]) <= 1e-10 * scale, $"V·Λ·Vᵀ [{i},{j}] = {s:R}, A = {a[i, j]:R}");
                Assert.True(Math.Abs(o - (i == j ? 1 : 0)) <= 1e-10, $"VᵀV [{i},{j}] = {o:R}");
            }
    }

    /// <summary>Covariances R·diag(a)·Rᵀ and R·diag(b)·Rᵀ commute, so their Fréchet distance is ‖μ₁ − μ₂‖² + Σ(√aᵢ − √bᵢ)².</summary>
    [Fact]
    public void FrechetDistanceMatchesTheClosedFormForCommutingCovariances()
    {
        const int d = 32;
        var rng = new Random(11);
        var a = Enumerable.Range(0, d).Select(_ => 0.1 + rng.NextDouble() * 4).ToArray();
        var b = Enumerable.Range(0, d).Select(_ => 0.1 + rng.NextDouble() * 4).ToArray();
        var m1 = Enumerable.Range(0, d).Select(_ => rng.NextDouble()).ToArray();
        var m2 = Enumerable.Range(0, d).Select(_ => rng.NextDouble()).ToArray();
        var rot = RandomRotation(d, rng);
        double want = 0;
        for (int i = 0; i < d; i++) want += (m1[i] - m2[i]) * (m1[i] - m2[i]) + Math.Pow(Math.Sqrt(a[i]) - Math.Sqrt(b[i]), 2);
        double got = Frechet.Distance(new Gaussian(m1, Conj(rot, a)), new Gaussian(m2, Conj(rot, b)));
        Assert.True(Math.Abs(got - want) <= 1e-9 * want, $"Fréchet distance {got:R}, closed form {want:R}");
    }

    private static double[,] Covariance(int d, int seed)
    {
        var r = new Random(seed);
        int rows = 4 * d;
        var x = new double[rows, d];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < d; j++) x[i, j] = r.NextDouble() * 2 - 1 + (j % 3 == 0 ? 0.5 * x[i, 0] : 0);
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < rows; k++) s += x[k, i] * x[k, j];
                m[i, j] = s / (rows - 1);
            }
        return m;
    }

    /// <summary>A product of Givens rotations over every pair of axes, with random angles: orthogonal by construction.</summary>
    private static double[,] RandomRotation(int d, Random rng)
    {
        var q = new double[d, d];
        for (int i = 0; i < d; i++) q[i, i] = 1;
        for (int p = 0; p < d - 1; p++)
            for (int s = p + 1; s < d; s++)
            {
                double t = rng.NextDouble() * 2 * Math.PI, c = Math.Cos(t), sn = Math.Sin(t);
                for (int k = 0; k < d; k++)
                {
                    double qp = q[k, p], qs = q[k, s];
                    q[k, p] = c * qp - sn * qs;
                    q[k, s] = sn * qp + c * qs;
                }
            }
        return q;
    }

    private static double[,] Conj(double[,] r, double[] diag)
    {
        int d = diag.Length;
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += r[i, k] * diag[k] * r[j, k];
                m[i, j] = s;
            }
        return m;
    }
}
