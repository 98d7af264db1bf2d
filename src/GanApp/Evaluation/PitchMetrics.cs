namespace GanAudio.App.Evaluation;

/// <summary>Dominant-frequency measures for tone data: each clip's strongest spectral peak (Hann window, parabolic
/// interpolation between bins); precision = share of clips within a tolerance of a listed pitch; recall = share of the
/// listed pitches that some clip hits.</summary>
public static class PitchMetrics
{
    /// <summary>The frequency (Hz) of the strongest spectral peak above <paramref name="minHz"/>; NaN for silence.</summary>
    public static double DominantFrequency(ReadOnlySpan<float> x, int sampleRate, double minHz = 40)
    {
        var p = Fft.PowerSpectrum(x, out int n);
        int lo = Math.Max(1, (int)Math.Ceiling(minHz * n / sampleRate));
        int best = -1;
        double bestP = 0;
        for (int k = lo; k < p.Length - 1; k++)
            if (p[k] > bestP)
            {
                bestP = p[k];
                best = k;
            }
        if (best < 0 || bestP <= 1e-20) return double.NaN;
        // parabolic interpolation on log power
        double a = Math.Log(p[best - 1] + 1e-30), b = Math.Log(p[best] + 1e-30), c = Math.Log(p[best + 1] + 1e-30);
        double den = a - 2 * b + c;
        double delta = den == 0 ? 0 : 0.5 * (a - c) / den;
        return (best + Math.Clamp(delta, -0.5, 0.5)) * sampleRate / n;
    }

    public sealed record Result(double Precision, double Recall, int Clips, int[] HitsPerPitch, double[] Frequencies);

    /// <summary>Precision and recall of clips' dominant frequencies against <paramref name="pitches"/> (relative tolerance).</summary>
    public static Result Evaluate(IReadOnlyList<float[]> clips, int sampleRate, IReadOnlyList<double> pitches, double tolerance = 0.03)
    {
        var hits = new int[pitches.Count];
        var freqs = new double[clips.Count];
        int within = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            double f = DominantFrequency(clips[i], sampleRate);
            freqs[i] = f;
            if (double.IsNaN(f)) continue;
            int nearest = -1;
            double bestRel = double.MaxValue;
            for (int j = 0; j < pitches.Count; j++)
            {
                double rel = Math.Abs(f - pitches[j]) / pitches[j];
                if (rel < bestRel)
                {
                    bestRel = rel;
                    nearest = j;
                }
            }
            if (bestRel <= tolerance)
            {
                within++;
                hits[nearest]++;
            }
        }
        double precision = clips.Count == 0 ? 0 : within / (double)clips.Count;
        double recall = pitches.Count == 0 ? 0 : hits.Count(h => h > 0) / (double)pitches.Count;
        return new Result(precision, recall, clips.Count, hits, freqs);
    }

    /// <summary>Spectral flatness (geometric over arithmetic mean of the power spectrum): near 1 for noise, near 0 for tones.</summary>
    public static double SpectralFlatness(ReadOnlySpan<float> x)
    {
        var p = Fft.PowerSpectrum(x, out _);
        double logSum = 0, sum = 0;
        for (int k = 1; k < p.Length; k++)
        {
            logSum += Math.Log(p[k] + 1e-20);
            sum += p[k];
        }
        int m = p.Length - 1;
        return sum <= 0 ? 0 : Math.Exp(logSum / m) / (sum / m);
    }
}
