using System.Numerics;

namespace GanAudio.App.Evaluation;

/// <summary>Memorisation check: for each query, the distance to its nearest reference, where the distance between two
/// band-major log-mels [bands, frames] is the smallest, over time shifts of up to <c>maxShift</c> frames either way, RMS
/// difference on the frames they share after removing their mean difference (a level change). A generator that copies
/// training audio at any offset scores near 0; generated clips far closer to the training set than held-out real clips
/// are suspect. Shifts never leave fewer than half the frames shared.</summary>
public static class NearestNeighbour
{
    public static double[] Distances(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> references, int bands = 1, int maxShift = 0)
    {
        if (references.Count == 0) throw new ArgumentException("no reference vectors");
        if (bands < 1) throw new ArgumentOutOfRangeException(nameof(bands), bands, "must be positive");
        var result = new double[queries.Count];
        Parallel.For(0, queries.Count, i =>
        {
            var q = queries[i];
            if (q.Length % bands != 0) throw new ArgumentException($"a vector of {q.Length} values is not {bands} bands");
            int frames = q.Length / bands, shift = Math.Clamp(maxShift, 0, frames / 2);
            double best = double.MaxValue;
            foreach (var r in references)
            {
                if (r.Length != q.Length) throw new ArgumentException($"vector lengths differ: {q.Length} vs {r.Length}");
                for (int lag = -shift; lag <= shift; lag++) best = Math.Min(best, Variance(q, r, bands, frames, lag));
            }
            result[i] = Math.Sqrt(best);
        });
        return result;
    }

    /// <summary>Variance of q[b, t] − r[b, t + lag] over every band and the frames t where both exist.</summary>
    public static double Variance(float[] q, float[] r, int bands, int frames, int lag)
    {
        int t0 = Math.Max(0, -lag), n = frames - Math.Abs(lag);
        double s1 = 0, s2 = 0;
        for (int b = 0; b < bands; b++)
        {
            var qs = q.AsSpan(b * frames + t0, n);
            var rs = r.AsSpan(b * frames + t0 + lag, n);
            var v1 = Vector<float>.Zero;
            var v2 = Vector<float>.Zero;
            int k = 0;
            for (; k <= n - Vector<float>.Count; k += Vector<float>.Count)
            {
                var d = new Vector<float>(qs[k..]) - new Vector<float>(rs[k..]);
                v1 += d;
                v2 += d * d;
            }
            double a = Vector.Sum(v1), c = Vector.Sum(v2);
            for (; k < n; k++)
            {
                double d = qs[k] - rs[k];
                a += d;
                c += d * d;
            }
            s1 += a;
            s2 += c;
        }
        double count = (double)bands * n, mean = s1 / count;
        return Math.Max(0, s2 / count - mean * mean);
    }
}
