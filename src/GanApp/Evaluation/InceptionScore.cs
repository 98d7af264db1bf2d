namespace GanAudio.App.Evaluation;

/// <summary>Inception Score (Salimans et al. 2016): exp(E_x[KL(p(y|x) ‖ p(y))]) with p(y) the mean prediction, computed
/// on <c>splits</c> contiguous parts of the predictions and reported as mean ± (population) standard deviation over the
/// parts, as the original implementation does. 1 ≤ IS ≤ K for K classes.</summary>
public static class InceptionScore
{
    public static (double Mean, double Std) Compute(IReadOnlyList<double[]> probabilities, int splits = 10)
    {
        int n = probabilities.Count;
        if (n == 0) throw new ArgumentException("no predictions");
        splits = Math.Clamp(splits, 1, n);
        var scores = new double[splits];
        for (int s = 0; s < splits; s++)
        {
            int from = s * n / splits, to = (s + 1) * n / splits;
            scores[s] = Score(probabilities, from, to);
        }
        double mean = scores.Average();
        double std = Math.Sqrt(scores.Sum(v => (v - mean) * (v - mean)) / splits);
        return (mean, std);
    }

    /// <summary>exp(mean KL) of predictions [from, to).</summary>
    public static double Score(IReadOnlyList<double[]> p, int from, int to)
    {
        int k = p[from].Length;
        var marginal = new double[k];
        for (int i = from; i < to; i++)
            for (int c = 0; c < k; c++) marginal[c] += p[i][c];
        for (int c = 0; c < k; c++) marginal[c] /= to - from;
        double kl = 0;
        for (int i = from; i < to; i++)
            for (int c = 0; c < k; c++)
                if (p[i][c] > 0) kl += p[i][c] * (Math.Log(p[i][c]) - Math.Log(marginal[c]));
        return Math.Exp(kl / (to - from));
    }
}
