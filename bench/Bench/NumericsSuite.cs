using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using GanAudio.App.Evaluation;
using MathNet.Numerics.IntegralTransforms;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace GanAudio.Bench;

/// <summary>`numerics [--quick]`: our radix-2 FFT and the Jacobi eigen-decomposition beside FftSharp 2.2.0 and MathNet.Numerics
/// 5.0.0 (managed provider, one thread) on the sizes evaluation uses: FFT 512 (report spectrograms), 1024 (the classifier's log-mel),
/// 16384 and 65536 (a clip's power spectrum, PitchMetrics); symmetric eigen-decomposition of 32×32 (the classifier's
/// default features, Fréchet distance), 64×64 and 128×128 (our Jacobi method, which MathNet replaced in GanApp, lives
/// on here as <see cref="JacobiEigen"/>). Prints the best and the median time per call and the largest difference
/// from ours (FFT: relative to the spectrum's largest magnitude; eigenvalues: relative to the largest).</summary>
public sealed class NumericsSuite : IBenchSuite
{
    public string Name => "numerics";

    public string Description => "numerics [--quick]: our FFT and symmetric eigen-decomposition vs FftSharp and MathNet.Numerics";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        // one thread for every contender (MathNet would otherwise split work over cores that other work shares)
        MathNet.Numerics.Control.UseSingleThread();
        Console.WriteLine("single-threaded; MathNet.Numerics managed provider");
        Console.WriteLine($"{"what",-28} {"size",7} {"best µs",10} {"median µs",10} {"max diff",10}");
        foreach (int n in new[] { 512, 1024, 16384, 65536 })
        {
            var x = Signal(n);
            int reps = Math.Max(quick ? 3 : 9, (quick ? 1 << 16 : 1 << 20) / n);
            var ours = Copy(x);
            Fft.Forward(ours);
            var buf = new Complex[n];
            Row("FFT ours (radix-2)", n, Time(reps, () => { x.CopyTo(buf, 0); Fft.Forward(buf); }), 0);
            var fs = Copy(x);
            FftSharp.FFT.Forward(fs);
            Row("FFT FftSharp", n, Time(reps, () => { x.CopyTo(buf, 0); FftSharp.FFT.Forward(buf); }), MaxDiff(ours, fs));
            var mn = Copy(x);
            Fourier.Forward(mn, FourierOptions.Matlab);
            Row("FFT MathNet", n, Time(reps, () => { x.CopyTo(buf, 0); Fourier.Forward(buf, FourierOptions.Matlab); }), MaxDiff(ours, mn));
        }
        foreach (int d in new[] { 32, 64, 128 })
        {
            var m = Spd(d, seed: d);
            int reps = quick ? 3 : Math.Max(5, 4096 / d);
            var (ourValues, _) = JacobiEigen.Decompose(m);
            Row("eigen ours (Jacobi, before)", d, Time(reps, () => JacobiEigen.Decompose(m)), 0);
            var lib = Matrix<double>.Build.DenseOfArray(m).Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();
            Row("eigen MathNet (Evd)", d, Time(reps, () => Matrix<double>.Build.DenseOfArray(m).Evd(Symmetricity.Symmetric)), MaxRel(ourValues, lib));
        }
        // what the switch does to an evaluation figure: the Fréchet distance of two 32-dimensional feature sets
        var fa = Spd(32, seed: 1);
        var fb = Spd(32, seed: 2);
        double jac = FrechetTrace(fa, fb, m => JacobiEigen.Decompose(m)), mnet = FrechetTrace(fa, fb, GanAudio.App.Evaluation.SymmetricEigen.Decompose);
        Console.WriteLine($"Fréchet distance (32 dims, equal means): Jacobi {jac.ToString("R", Inv)}, MathNet {mnet.ToString("R", Inv)}, " +
                          $"relative difference {(Math.Abs(jac - mnet) / jac).ToString("E1", Inv)}");
        return 0;
    }

    /// <summary>tr(A) + tr(B) − 2·tr((A^½ B A^½)^½) with the given decomposition (the Fréchet distance at equal means).</summary>
    private static double FrechetTrace(double[,] a, double[,] b, Func<double[,], (double[] Values, double[,] Vectors)> evd)
    {
        int d = a.GetLength(0);
        var (va, ea) = evd(a);
        var s = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) s[i, j] += ea[i, k] * Math.Sqrt(Math.Max(va[k], 0)) * ea[j, k];
        var inner = Mul(Mul(s, b), s);
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++) inner[i, j] = inner[j, i] = 0.5 * (inner[i, j] + inner[j, i]);
        double tr = 0;
        for (int i = 0; i < d; i++) tr += a[i, i] + b[i, i];
        return tr - 2 * evd(inner).Values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++) r[i, j] += a[i, k] * b[k, j];
        return r;
    }

    private static void Row(string what, int size, (double Best, double Median) us, double diff) =>
        Console.WriteLine($"{what,-28} {size,7} {us.Best.ToString("F1", Inv),10} {us.Median.ToString("F1", Inv),10} {diff.ToString("E1", Inv),10}");

    /// <summary>The best and the median of <paramref name="reps"/> timed calls after one warm-up call (the best is the
    /// figure to compare on a machine other work shares).</summary>
    private static (double Best, double Median) Time(int reps, Action a)
    {
        a();
        var t = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            long s = Stopwatch.GetTimestamp();
            a();
            t[i] = Stopwatch.GetElapsedTime(s).TotalMicroseconds;
        }
        Array.Sort(t);
        return (t[0], t[reps / 2]);
    }

    private static Complex[] Signal(int n)
    {
        var r = new Random(n);
        return Enumerable.Range(0, n).Select(_ => new Complex(r.NextDouble() * 2 - 1, 0)).ToArray();
    }

    private static Complex[] Copy(Complex[] x) => (Complex[])x.Clone();

    private static double MaxDiff(Complex[] a, Complex[] b)
    {
        double peak = a.Max(c => c.Magnitude), d = 0;
        for (int i = 0; i < a.Length; i++) d = Math.Max(d, (a[i] - b[i]).Magnitude);
        return d / peak;
    }

    private static double MaxRel(double[] a, double[] b)
    {
        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        double peak = x.Max(Math.Abs), d = 0;
        for (int i = 0; i < x.Length; i++) d = Math.Max(d, Math.Abs(x[i] - y[i]));
        return d / peak;
    }

    /// <summary>A covariance-like symmetric positive semi-definite matrix: XᵀX/(n−1) of 4·d random feature rows.</summary>
    internal static double[,] Spd(int d, int seed)
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
}
