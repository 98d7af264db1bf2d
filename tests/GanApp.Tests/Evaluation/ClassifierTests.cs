using GanAudio.App.Data;
using GanAudio.App.Evaluation;

namespace GanApp.Tests.Evaluation;

public class ClassifierTests(ITestOutputHelper output)
{
    [Fact]
    public void ClassifierSeparatesClassicalFromMetalOnHeldOutClips()
    {
        var root = SharedData.Find("gtzan-mini");
        Assert.SkipWhen(root is null, "shared/data/gtzan-mini not found beside the repository");
        var ds = AudioDataset.Load(root!, new DatasetOptions { SampleRate = 16000, Genres = ["classical", "metal"], UseCache = false });
        // What `GanApp classifier train --data … --genres classical metal` reports: the default split by clip (2 of 6 clips per
        // genre held out, seed 0). Measured 93.1% of 116 held-out segments.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var clf = ClassifierTraining.Train(ds, new ClassifierTrainOptions()))
        {
            output.WriteLine($"default split: held-out accuracy {clf.Info.HeldOutAccuracy:P1} of {clf.Info.HeldOutSegments} segments ({clock.Elapsed.TotalSeconds:F1} s)");
            Assert.True(clf.Info.HeldOutAccuracy >= 0.90, $"held-out segment accuracy {clf.Info.HeldOutAccuracy:P1} < 90%");
        }
        // 3-fold cross-validation by source clip at seed 0: each fold holds out 2 whole clips per genre (116 segments).
        // Measured 98.3%, 93.1%, 98.3%. Over seeds 0–5 (18 folds) the mean is 95.0% and the worst folds 89.7% (104 of 116,
        // seeds 2 and 5), so other seeds are not asserted here.
        var acc = ClassifierTraining.CrossValidate(ds, new ClassifierTrainOptions(), 3, output.WriteLine);
        string folds = string.Join(", ", acc.Select(a => $"{a.Segments:P1} ({a.Clips:P0} of clips)"));
        output.WriteLine($"3-fold held-out segment accuracy by fold: {folds}; mean {acc.Average(a => a.Segments):P1} ({clock.Elapsed.TotalSeconds:F1} s)");
        Assert.All(acc, a => Assert.True(a.Segments >= 0.90, $"a fold's held-out segment accuracy {a.Segments:P1} < 90% (folds: {folds})"));
        Assert.All(acc, a => Assert.Equal(1.0, a.Clips)); // every held-out clip, by the mean of its segments
    }

    [Fact]
    public void BaggedMembersEachLeaveOutOneClipPerClass()
    {
        // class 0: clips a, b, c; class 1: clips x, y; class 2: one clip z (never left out)
        string[] sources = ["a", "a", "b", "c", "c", "x", "y", "y", "z"];
        int[] labels = [0, 0, 0, 0, 0, 1, 1, 1, 2];
        var seen = new HashSet<string>();
        for (int member = 0; member < 6; member++)
        {
            var kept = ClassifierTraining.BaggedExamples(labels, sources, 3, member);
            var left = sources.Distinct().Except(kept.Select(i => sources[i])).OrderBy(s => s).ToList();
            Assert.Equal(2, left.Count);
            Assert.Contains(left, s => s is "a" or "b" or "c");
            Assert.Contains(left, s => s is "x" or "y");
            Assert.Contains(8, kept);
            Assert.All(Enumerable.Range(0, sources.Length), i => Assert.Equal(!left.Contains(sources[i]), kept.Contains(i))); // whole clips only
            seen.UnionWith(left);
        }
        Assert.Equal(["a", "b", "c", "x", "y"], seen.OrderBy(s => s));
    }

    [Fact]
    public void SegmentsDropPartialTailsButKeepShortClips()
    {
        var rng = new Random(5);
        float[] Noise(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var ds = new AudioDataset(["a", "b"], 16000, [new Clip("long", 0, Noise(2 * 4096 + 1500)), new Clip("short", 1, Noise(3000))]);
        var (segs, labels, sources) = ClipSplit.Segments(ds, 4096, 4096);
        Assert.Equal(["long", "long", "short"], sources);
        Assert.Equal([0, 0, 1], labels);
        Assert.All(segs, s => Assert.Equal(4096, s.Length));
        Assert.All(segs.Take(2), s => Assert.True(s[4095] != 0)); // whole segments, no padding
        Assert.Equal(0f, segs[2][3500]); // the short clip, zero-padded
    }

    [Fact]
    public void ClassifierNamesTonePitches()
    {
        var ds = ToneSynth.GenerateDataset(new ToneSynthOptions { ClipsPerPitch = 16, Seed = 7 });
        using var clf = ClassifierTraining.Train(ds, new ClassifierTrainOptions { Epochs = 60, TrainHop = 16384, MaxBandShift = 0, ConvBands = 64 }, output.WriteLine);
        output.WriteLine($"held-out accuracy {clf.Info.HeldOutAccuracy:P1} on {clf.Info.HeldOutSegments} clips ({clf.Info.HeldOutClipAccuracy:P1} by clip); train {clf.Info.TrainAccuracy:P1}");
        Assert.Equal(8 * 4, clf.Info.HeldOutClips);
        Assert.True(clf.Info.HeldOutAccuracy >= 0.95, $"held-out accuracy {clf.Info.HeldOutAccuracy:P1} < 95%");
    }

    [Fact]
    public void SplitsKeepWholeClipsApart()
    {
        var ds = ToneSynth.GenerateDataset(new ToneSynthOptions { ClipsPerPitch = 6, Seed = 1 });
        var (a, b) = ClipSplit.Split(ds, 0.25, 3);
        Assert.Empty(a.Clips.Select(c => c.Source).Intersect(b.Clips.Select(c => c.Source)));
        Assert.Equal(8 * 2, b.Clips.Count);
        var held = Enumerable.Range(0, 3).SelectMany(f => ClipSplit.Fold(ds, 3, f, 3).HeldOut.Clips.Select(c => c.Source)).ToList();
        Assert.Equal(ds.Clips.Count, held.Distinct().Count()); // every clip held out exactly once
        Assert.Equal(ds.Clips.Count, held.Count);
    }

    [Fact]
    public void SavedClassifierPredictsTheSame()
    {
        var ds = ToneSynth.GenerateDataset(new ToneSynthOptions { ClipsPerPitch = 4, Seed = 2 });
        using var clf = ClassifierTraining.Train(ds, new ClassifierTrainOptions { Epochs = 2, TrainHop = 16384, MaxBandShift = 0, Members = 3 });
        Assert.Equal(3, clf.Nets.Count);
        var dir = Path.Combine(Path.GetTempPath(), "ganaudio-clf-" + Guid.NewGuid().ToString("N"));
        try
        {
            clf.Save(dir);
            using var back = Classifier.Load(dir);
            var clips = ds.Clips.Take(5).Select(c => c.Samples).ToList();
            var p1 = clf.Predict(clips, 16000);
            var p2 = back.Predict(clips, 16000);
            Assert.Equal(clf.Info.ClassNames, back.Info.ClassNames);
            Assert.Equal(3, back.Nets.Count);
            for (int i = 0; i < clips.Count; i++)
            {
                Assert.Equal(p1.Probabilities[i], p2.Probabilities[i]);
                Assert.Equal(p1.Features[i], p2.Features[i]);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
