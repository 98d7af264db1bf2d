using System.Globalization;
using GanAudio.App.Data;

namespace GanAudio.App.Evaluation;

/// <summary>The real side of an evaluation, computed once: real segments of the generator's length split by clip into a
/// reference half (stands for the training set: Gaussian fit, nearest neighbours) and a held-out half (the real-vs-real
/// baseline), their classifier outputs and log-mels, and the pitch list when the classes are tones (<c>p130.81hz</c>, …).</summary>
public sealed class EvalReference
{
    public EvalReference(AudioDataset data, int length, Classifier? classifier, int maxPerHalf = 256, ulong seed = 0)
    {
        SampleRate = data.SampleRate;
        Length = length;
        Classifier = classifier;
        ClassNames = data.Genres;
        var (a, b) = ClipSplit.Split(data, 0.5, seed);
        Reference = Take(a, length, maxPerHalf);
        HeldOut = Take(b, length, maxPerHalf);
        if (Reference.Segments.Count < 2 || HeldOut.Segments.Count < 2)
            throw new ArgumentException($"too little real audio for an evaluation ({Reference.Segments.Count} + {HeldOut.Segments.Count} segments of {length} samples; need 2 clips per class or more)");
        Frontend = classifier?.FrontEnd ?? new MelFrontEnd(new MelParameters { SampleRate = SampleRate, MaxHz = SampleRate / 2.0 });
        ReferenceMels = LogMels(Reference.Segments);
        if (classifier is not null)
        {
            ReferencePredictions = classifier.PredictLogMels(ReferenceMels);
            HeldOutPredictions = classifier.Predict(HeldOut.Segments, SampleRate);
        }
        Pitches = TonePitches(data.Genres);
    }

    public int SampleRate { get; }

    public int Length { get; }

    public Classifier? Classifier { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public (List<float[]> Segments, List<int> Labels, List<string> Sources) Reference { get; }

    public (List<float[]> Segments, List<int> Labels, List<string> Sources) HeldOut { get; }

    public MelFrontEnd Frontend { get; }

    public float[][] ReferenceMels { get; }

    public Predictions? ReferencePredictions { get; }

    public Predictions? HeldOutPredictions { get; }

    /// <summary>Tone pitches (Hz) parsed from class names like <c>p261.63hz</c>; null when the classes are not tones.</summary>
    public double[]? Pitches { get; }

    /// <summary>Log-mels for the nearest-neighbour check (the classifier's front end, or a default one).</summary>
    public float[][] LogMels(IReadOnlyList<float[]> clips)
    {
        if (Classifier is not null) return Classifier.LogMels(clips, SampleRate);
        var r = new float[clips.Count][];
        Parallel.For(0, clips.Count, i => r[i] = Frontend.LogMel(clips[i]));
        return r;
    }

    public static double[]? TonePitches(IReadOnlyList<string> names)
    {
        var result = new double[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            var n = names[i];
            if (!(n.StartsWith('p') && n.EndsWith("hz", StringComparison.Ordinal)
                  && double.TryParse(n.AsSpan(1, n.Length - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out result[i])))
                return null;
        }
        return names.Count > 0 ? result : null;
    }

    private static (List<float[]>, List<int>, List<string>) Take(AudioDataset ds, int length, int max)
    {
        int perClip = Math.Max(1, (int)Math.Ceiling(max / (double)Math.Max(1, ds.Clips.Count)));
        var (s, l, src) = ClipSplit.Segments(ds, length, length, perClip);
        var idx = Enumerable.Range(0, Math.Min(max, s.Count)).Select(i => (int)((long)i * s.Count / Math.Min(max, s.Count))).ToList();
        var rng = new SeededRandom(0x5eed); // a seeded shuffle, so each Inception Score split mixes the classes
        for (int i = idx.Count - 1; i > 0; i--)
        {
            int j = (int)rng.NextLong(i + 1);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }
        return (idx.Select(i => s[i]).ToList(), idx.Select(i => l[i]).ToList(), idx.Select(i => src[i]).ToList());
    }
}
