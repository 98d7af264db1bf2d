namespace GanAudio.Kernels.Tests.Harness;

/// <summary>Seeded random test inputs.</summary>
public static class Rand
{
    public static double[] Normal(int n, int seed, double scale = 1.0)
    {
        var r = new Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
            a[i] = scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return a;
    }

    public static double[] Uniform(int n, int seed, double lo, double hi)
    {
        var r = new Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.NextDouble();
        return a;
    }

    /// <summary>Rounds each value to float precision, so float32 kernels and the double reference see the same inputs.</summary>
    public static double[] AsFloat(double[] a)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = (float)a[i];
        return r;
    }

    /// <summary>Lengths every elementwise test covers: 0..257 and a few odd sizes.</summary>
    public static IEnumerable<int> Lengths()
    {
        for (int n = 0; n <= 257; n++) yield return n;
        yield return 1025;
        yield return 65537;
    }
}
