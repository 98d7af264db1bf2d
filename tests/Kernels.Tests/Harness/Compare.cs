using System.Text;

namespace GanAudio.Kernels.Tests.Harness;

/// <summary>Element-wise comparison with tolerance atol + rtol·|ref|; on failure the message lists the first mismatches,
/// the maximum absolute and relative errors and where they occur.</summary>
public static class Compare
{
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        var a = new double[actual.Length];
        for (int i = 0; i < a.Length; i++) a[i] = actual[i];
        AssertClose(expected, a, atol, rtol, what);
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double atol, double rtol, string what)
    {
        if (expected.Length != actual.Length)
            throw new Xunit.Sdk.XunitException($"{what}: length {actual.Length}, expected {expected.Length}");
        int bad = 0;
        double maxAbs = 0, maxRel = 0;
        int maxAbsAt = -1, maxRelAt = -1;
        var sb = new StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], v = actual[i];
            if (double.IsNaN(e) && double.IsNaN(v)) continue;
            if (double.IsInfinity(e) && e == v) continue;
            double err = Math.Abs(e - v);
            double rel = err / Math.Max(Math.Abs(e), 1e-300);
            if (double.IsNaN(err)) err = double.PositiveInfinity;
            if (err > maxAbs) { maxAbs = err; maxAbsAt = i; }
            if (rel > maxRel) { maxRel = rel; maxRelAt = i; }
            if (err > atol + rtol * Math.Abs(e))
            {
                if (bad < 8) sb.Append($"\n  [{i}] expected {e:R} got {v:R} (abs err {err:E3})");
                bad++;
            }
        }
        if (bad > 0)
            throw new Xunit.Sdk.XunitException(
                $"{what}: {bad} of {expected.Length} elements outside atol {atol:E1} + rtol {rtol:E1}·|ref|; " +
                $"max abs err {maxAbs:E3} at [{maxAbsAt}], max rel err {maxRel:E3} at [{maxRelAt}]; first mismatches:{sb}");
    }
}
