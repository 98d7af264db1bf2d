using GanAudio.App.Models;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Evaluation;

/// <summary>Computes a <see cref="MetricSet"/> for a set of clips against an <see cref="EvalReference"/>: Inception Score
/// (10 splits), Fréchet distance of the classifier's penultimate features to the reference half, accuracy of requested
/// classes, nearest-neighbour distance to the reference half, spectral flatness, and pitch precision/recall for tones.
/// Also builds the two baselines (held-out real clips and uniform noise) and generates clips from a generator.</summary>
public sealed class Evaluator(EvalReference reference)
{
    public const ulong LatentSeed = 20240607;

    private (int Count, MetricSet Real, MetricSet Noise)? baselines;

    public EvalReference Reference { get; } = reference;

    /// <summary>Both baselines, computed once per noise count and kept (training evaluates many times).</summary>
    public (MetricSet Real, MetricSet Noise) Baselines(int noiseCount)
    {
        if (baselines is not { } b || b.Count != noiseCount) baselines = b = (noiseCount, RealBaseline(), NoiseBaseline(noiseCount));
        return (b.Real, b.Noise);
    }

    /// <summary>A full entry: <paramref name="count"/> generated clips measured beside both baselines.</summary>
    public EvalEntry Evaluate(GeneratorModule g, IReadOnlyList<string> classes, int count, long step, string? classifierPath)
    {
        var (clips, requested) = Generate(g, classes, count);
        if (clips[0].Length != Reference.Length)
            throw new ArgumentException($"the generator makes {clips[0].Length} samples, the reference segments have {Reference.Length}");
        var generated = Measure(clips, requested);
        var (real, noise) = Baselines(count);
        return new EvalEntry { Step = step, Classifier = classifierPath, Time = DateTime.UtcNow, Generated = generated, Real = real, Noise = noise };
    }

    /// <summary>Metrics of <paramref name="clips"/>; <paramref name="requested"/> are the class names asked for (null when
    /// the clips were not asked for a class).</summary>
    public MetricSet Measure(IReadOnlyList<float[]> clips, IReadOnlyList<string>? requested, Predictions? predictions = null)
    {
        if (clips.Count == 0) throw new ArgumentException("no clips to evaluate");
        var r = Reference;
        var mels = r.LogMels(clips);
        int bands = r.Frontend.Bands;
        var nn = NearestNeighbour.Distances(mels, r.ReferenceMels, bands, maxShift: mels[0].Length / bands / 2);
        var flat = clips.Average(c => PitchMetrics.SpectralFlatness(c));
        var set = new MetricSet { Count = clips.Count, SpectralFlatness = flat, NearestNeighbour = nn.Average() };
        if (r.Pitches is not null)
        {
            var pm = PitchMetrics.Evaluate(clips, r.SampleRate, r.Pitches);
            set = set with { PitchPrecision = pm.Precision, PitchRecall = pm.Recall };
        }
        if (r.Classifier is { } clf)
        {
            predictions ??= clf.PredictLogMels(mels);
            var (isMean, isStd) = InceptionScore.Compute(predictions.Probabilities, 10);
            double fd = clips.Count >= 2 ? Frechet.Distance(predictions.Features, r.ReferencePredictions!.Features) : double.NaN;
            int covered = Enumerable.Range(0, clips.Count).Select(predictions.ArgMax).Distinct().Count();
            set = set with { InceptionScore = isMean, InceptionScoreStd = isStd, FrechetDistance = fd, ClassesCovered = covered, ClassCount = clf.Info.ClassNames.Length };
            if (requested is not null) set = WithAccuracy(set, predictions, requested, clf.Info.ClassNames);
        }
        return set;
    }

    private static MetricSet WithAccuracy(MetricSet set, Predictions p, IReadOnlyList<string> requested, string[] classes)
    {
        var correct = new Dictionary<string, int>();
        var total = new Dictionary<string, int>();
        for (int i = 0; i < requested.Count; i++)
        {
            int want = Array.IndexOf(classes, requested[i]);
            if (want < 0) continue; // a class the classifier does not know
            total[requested[i]] = total.GetValueOrDefault(requested[i]) + 1;
            if (p.ArgMax(i) == want) correct[requested[i]] = correct.GetValueOrDefault(requested[i]) + 1;
        }
        if (total.Count == 0) return set;
        var per = total.ToDictionary(kv => kv.Key, kv => correct.GetValueOrDefault(kv.Key) / (double)kv.Value);
        return set with { ClassAccuracy = correct.Values.Sum() / (double)total.Values.Sum(), PerClassAccuracy = per };
    }

    /// <summary>The real-vs-real baseline: the held-out half measured like generated clips (classes = true labels).</summary>
    public MetricSet RealBaseline()
    {
        var r = Reference;
        var names = r.HeldOut.Labels.Select(l => r.ClassNames[l]).ToList();
        return Measure(r.HeldOut.Segments, names, r.HeldOutPredictions);
    }

    /// <summary>The noise baseline: <paramref name="count"/> clips of uniform noise in [−1, 1], "asked for" classes in turn.</summary>
    public MetricSet NoiseBaseline(int count, ulong seed = 7)
    {
        var rng = new Data.SeededRandom(seed);
        var clips = new List<float[]>();
        for (int i = 0; i < count; i++)
        {
            var x = new float[Reference.Length];
            for (int t = 0; t < x.Length; t++) x[t] = (float)rng.Uniform(-1, 1);
            clips.Add(x);
        }
        var names = Enumerable.Range(0, count).Select(i => Reference.ClassNames[i % Reference.ClassNames.Count]).ToList();
        return Measure(clips, names);
    }

    /// <summary><paramref name="count"/> clips from a generator with latents from a fixed seed (so evaluations at different
    /// steps see the same z); a conditional generator is asked for its classes in turn. Restores training mode.</summary>
    public static (List<float[]> Clips, List<string>? Requested) Generate(GeneratorModule g, IReadOnlyList<string> classes, int count, int batch = 16)
    {
        bool wasTraining = g.Training;
        g.Eval();
        try
        {
            var clips = new List<float[]>();
            var gen = new RandomStream(LatentSeed);
            int[]? labels = g.NumClasses > 0 ? Enumerable.Range(0, count).Select(i => i % g.NumClasses).ToArray() : null;
            using var _ = GradMode.NoGrad();
            for (int start = 0; start < count; start += batch)
            {
                using var scope = TensorScope.Begin();
                int b = Math.Min(batch, count - start);
                var z = Tensor.Rand([b, g.LatentDim], gen, -1, 1, device: g.Parameters().First().Device);
                var audio = g.Generate(z, labels?[start..(start + b)]).ToFloatArray();
                int len = audio.Length / b;
                for (int i = 0; i < b; i++) clips.Add(audio.AsSpan(i * len, len).ToArray());
            }
            return (clips, labels?.Select(l => classes[l]).ToList());
        }
        finally
        {
            if (wasTraining) g.Train();
        }
    }
}
