using GanAudio.App.Data;

namespace GanAudio.App.Evaluation;

/// <summary>A named front-end/augmentation setting of the classifier that <see cref="ClassifierSelection"/> can choose.</summary>
/// <param name="ConvBands">Mel bands averaged into this many before the first conv layer.</param>
/// <param name="MaxBandShift">Largest random band shift of the augmentation.</param>
/// <param name="MinSteps">Each member trains for at least this many optimizer steps (more epochs on small sets).</param>
public sealed record ClassifierSetting(string Name, int ConvBands, int MaxBandShift, int MinSteps)
{
    public ClassifierTrainOptions ApplyTo(ClassifierTrainOptions o) =>
        o with { Setting = Name, ConvBands = ConvBands, MaxBandShift = MaxBandShift, MinSteps = MinSteps };
}

/// <summary>Chooses the classifier's setting per data set by k-fold cross-validation on the training part only (by group
/// when the clips have groups, by clip otherwise; the held-out part is never looked at): each candidate trains a small
/// ensemble on each fold, and a later candidate replaces the first (today's genre setting) only when it is better by more
/// than the folds' noise: its mean gain over the first, fold by fold, must exceed one standard error of the gains (in the
/// spirit of Breiman et al.'s one-standard-error rule, on paired folds). On gtzan-mini's training part (8 clips) fold
/// accuracies differ by 20 points and more, so a few points of mean difference are noise; on the digits the gain is
/// about 70 points in every fold.</summary>
public static class ClassifierSelection
{
    /// <summary><c>genre</c>: 16 averaged bands and band shifts up to 16 (blurs single notes: a genre is not a piece's
    /// pitches); <c>fine</c>: all 64 bands, no band shift, at least 480 steps (words and pitches live in the fine
    /// spectral detail; a few hundred short clips need more epochs than thousands of music segments).</summary>
    public static readonly IReadOnlyList<ClassifierSetting> Candidates =
    [
        new("genre", 16, 16, 0),
        new("fine", 64, 0, 480),
    ];

    /// <summary>The options with the chosen setting applied (<see cref="ClassifierTrainOptions.Select"/> off) and each
    /// candidate's cross-validated accuracy; when the training part has too few clips or groups per class to make the
    /// folds, the first candidate with no scores.</summary>
    public static (ClassifierTrainOptions Options, Dictionary<string, double> Scores) Choose(AudioDataset trainSet, ClassifierTrainOptions o,
        Action<string>? log = null)
    {
        var inner = o with { Select = false, Members = Math.Min(o.Members, o.SelectionMembers) };
        var scores = new Dictionary<string, double>();
        if (!CanFold(trainSet, o.SelectionFolds))
        {
            log?.Invoke($"setting: {Candidates[0].Name} (too few clips per class in the training part to cross-validate a choice)");
            return (Candidates[0].ApplyTo(o with { Select = false }), scores);
        }
        var folds = new Dictionary<string, double[]>();
        foreach (var c in Candidates)
        {
            var acc = ClassifierTraining.CrossValidate(trainSet, c.ApplyTo(inner), o.SelectionFolds);
            folds[c.Name] = acc.Select(a => a.Segments).ToArray();
            scores[c.Name] = folds[c.Name].Average();
            log?.Invoke($"setting {c.Name} ({c.ConvBands} bands, band shift {c.MaxBandShift}, ≥ {c.MinSteps} steps): {o.SelectionFolds}-fold " +
                        $"accuracy on the training part {scores[c.Name]:P1} (folds {string.Join(", ", acc.Select(a => $"{a.Segments:P0}"))})");
        }
        var best = PairedGainRule(Candidates, folds);
        log?.Invoke($"setting: {best.Name}");
        return (best.ApplyTo(o with { Select = false }), scores);
    }

    /// <summary>The first candidate, unless others beat it clearly: a later candidate qualifies when its mean gain over
    /// the first, fold by fold (the folds are the same for all), exceeds one standard error of those gains (sample
    /// standard deviation / √folds); of the qualifiers, the one with the best mean accuracy.</summary>
    public static ClassifierSetting PairedGainRule(IReadOnlyList<ClassifierSetting> candidates, IReadOnlyDictionary<string, double[]> folds)
    {
        var first = folds[candidates[0].Name];
        ClassifierSetting best = candidates[0];
        double bestMean = double.NegativeInfinity;
        foreach (var c in candidates.Skip(1))
        {
            var gain = folds[c.Name].Zip(first, (x, y) => x - y).ToArray();
            double mean = gain.Average(), se = gain.Length > 1 ? Math.Sqrt(gain.Sum(v => (v - mean) * (v - mean)) / (gain.Length - 1) / gain.Length) : 0;
            if (mean > se + 1e-12 && folds[c.Name].Average() > bestMean) (best, bestMean) = (c, folds[c.Name].Average());
        }
        return best;
    }

    /// <summary>True when every fold would leave each class at least one training clip and hold out at least one clip.</summary>
    public static bool CanFold(AudioDataset ds, int folds)
    {
        if (folds < 2) return false;
        for (int f = 0; f < folds; f++)
        {
            var (train, held) = ClipSplit.Fold(ds, folds, f, 0);
            if (held.Clips.Count == 0) return false;
            for (int c = 0; c < ds.Genres.Count; c++)
                if (ds.Clips.Any(x => x.Label == c) && !train.Clips.Any(x => x.Label == c)) return false;
        }
        return true;
    }
}
