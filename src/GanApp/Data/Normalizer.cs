namespace GanAudio.App.Data;

/// <summary>An affine map per clip: normalised = (raw − Offset) / Scale.</summary>
public readonly record struct ClipScaling(double Offset, double Scale)
{
    public static ClipScaling Identity => new(0, 1);
}

/// <summary>Computes and applies peak / z-score normalisation.</summary>
public static class Normalizer
{
    /// <summary>The scaling of every clip under <paramref name="mode"/>. Silent clips keep scale 1.</summary>
    public static ClipScaling[] Compute(IReadOnlyList<float[]> clips, Normalization mode, ZScoreScope scope)
    {
        var result = new ClipScaling[clips.Count];
        if (mode == Normalization.None)
        {
            Array.Fill(result, ClipScaling.Identity);
            return result;
        }
        if (mode == Normalization.Peak)
        {
            for (int i = 0; i < clips.Count; i++)
            {
                float peak = 0;
                foreach (var x in clips[i]) peak = Math.Max(peak, Math.Abs(x));
                result[i] = new ClipScaling(0, peak > 0 ? peak : 1);
            }
            return result;
        }
        if (scope == ZScoreScope.Clip)
        {
            for (int i = 0; i < clips.Count; i++)
            {
                var (mean, std, _) = Moments([clips[i]]);
                result[i] = new ClipScaling(mean, std > 0 ? std : 1);
            }
            return result;
        }
        var (m, s, _) = Moments(clips);
        Array.Fill(result, new ClipScaling(m, s > 0 ? s : 1));
        return result;
    }

    /// <summary>Mean, population standard deviation and count, accumulated in double.</summary>
    public static (double Mean, double Std, long Count) Moments(IReadOnlyList<float[]> clips)
    {
        double sum = 0, sumSq = 0;
        long n = 0;
        foreach (var c in clips)
        {
            foreach (var x in c) { sum += x; sumSq += (double)x * x; }
            n += c.Length;
        }
        if (n == 0) return (0, 0, 0);
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)), n);
    }

    /// <summary>A normalised copy of <paramref name="raw"/>.</summary>
    public static float[] Apply(float[] raw, ClipScaling s)
    {
        var y = new float[raw.Length];
        float offset = (float)s.Offset, inv = (float)(1 / s.Scale);
        for (int i = 0; i < raw.Length; i++) y[i] = (raw[i] - offset) * inv;
        return y;
    }
}
