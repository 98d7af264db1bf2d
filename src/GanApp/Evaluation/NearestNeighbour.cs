namespace GanAudio.App.Evaluation;

/// <summary>Memorisation check: each query's Euclidean distance to its nearest reference vector, normalised by √dim (an
/// RMS difference per feature). Generated clips far closer to the training set than held-out real clips are suspect.</summary>
public static class NearestNeighbour
{
    public static double[] Distances(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> references)
    {
        if (references.Count == 0) throw new ArgumentException("no reference vectors");
        var result = new double[queries.Count];
        Parallel.For(0, queries.Count, i =>
        {
            var q = queries[i];
            double best = double.MaxValue;
            foreach (var r in references)
            {
                if (r.Length != q.Length) throw new ArgumentException($"vector lengths differ: {q.Length} vs {r.Length}");
                double s = 0;
                for (int k = 0; k < q.Length && s < best; k++)
                {
                    double d = q[k] - r[k];
                    s += d * d;
                }
                best = Math.Min(best, s);
            }
            result[i] = Math.Sqrt(best / q.Length);
        });
        return result;
    }
}
