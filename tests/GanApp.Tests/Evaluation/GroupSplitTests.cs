using GanAudio.App.Data;
using GanAudio.App.Evaluation;

namespace GanApp.Tests.Evaluation;

public class GroupSplitTests
{
    /// <summary>10 voices × 4 words, in memory, named as <c>data synth --kind digits</c> names them.</summary>
    private static AudioDataset Voices(bool grouped)
    {
        string[] words = ["one", "three", "two", "zero"];
        var clips = new List<Clip>();
        for (int v = 0; v < 10; v++)
            for (int w = 0; w < words.Length; w++)
                clips.Add(new Clip($"{words[w]}/voice{v:D2}_nohash_0.wav", w, new float[16]) { Group = grouped ? $"voice{v:D2}" : null });
        return new AudioDataset(words, 16000, clips);
    }

    private static IEnumerable<string> VoicesOf(AudioDataset ds) => ds.Clips.Select(c => ClipGroups.SpeechCommandsSpeaker(c.Source)!).Distinct();

    [Fact]
    public void SplitsByVoiceNeverPutAVoiceOnBothSides()
    {
        var ds = Voices(grouped: true);
        for (ulong seed = 0; seed < 10; seed++)
        {
            var (train, held) = ClipSplit.Split(ds, 0.3, seed);
            Assert.Empty(VoicesOf(train).Intersect(VoicesOf(held)));
            Assert.Equal(3, VoicesOf(held).Count()); // round(10 × 0.3) voices, each with all its words
            Assert.Equal(12, held.Clips.Count);
            var heldInFolds = new List<string>();
            for (int f = 0; f < 3; f++)
            {
                var (ft, fh) = ClipSplit.Fold(ds, 3, f, seed);
                Assert.Empty(VoicesOf(ft).Intersect(VoicesOf(fh)));
                Assert.Equal(ds.Clips.Count, ft.Clips.Count + fh.Clips.Count);
                heldInFolds.AddRange(VoicesOf(fh));
            }
            Assert.Equal(VoicesOf(ds).Order(), heldInFolds.Order()); // every voice held out exactly once
        }
        // without groups the split is by clip, so voices do leak: the grouping is what keeps them apart
        var (t2, h2) = ClipSplit.Split(Voices(grouped: false), 0.3, 0);
        Assert.NotEmpty(VoicesOf(t2).Intersect(VoicesOf(h2)));
    }

    [Fact]
    public void GroupsComeFromLabelsCsvThenSpeechCommandsNamesElseNone()
    {
        var dir = Directory.CreateTempSubdirectory("ganaudio-groups-").FullName;
        try
        {
            var ds = Voices(grouped: false);
            var byName = ClipGroups.Assign(ds, dir, out string how);
            Assert.Contains("_nohash_", how);
            Assert.Equal("voice07", byName.Clips.First(c => c.Source == "two/voice07_nohash_0.wav").Group);

            // a labels.csv with a voice column wins (here it pairs the voices up)
            File.WriteAllLines(Path.Combine(dir, "labels.csv"),
                ["file,word,voice", ..ds.Clips.Select(c => $"{c.Source},{ds.Genres[c.Label]},pair{int.Parse(ClipGroups.SpeechCommandsSpeaker(c.Source)![5..]) / 2}")]);
            var byCsv = ClipGroups.Assign(ds, dir, out how);
            Assert.Contains("'voice' column", how);
            Assert.Equal(5, byCsv.Clips.Select(c => c.Group).Distinct().Count());

            var plain = new AudioDataset(["a", "b"], 16000, [new Clip("a/a.00000.wav", 0, new float[4]), new Clip("b/b.00000.wav", 1, new float[4])]);
            File.Delete(Path.Combine(dir, "labels.csv"));
            Assert.Same(plain, ClipGroups.Assign(plain, dir, out how));
            Assert.Equal("by clip", how);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void SelectionKeepsTheFirstSettingUnlessAnotherIsClearlyBetter()
    {
        var cands = ClassifierSelection.Candidates;
        // gtzan-mini-like: 84% vs 80% with folds 20 points apart: noise, keep the first
        Assert.Equal("genre", ClassifierSelection.PairedGainRule(cands, new Dictionary<string, double[]> { ["genre"] = [0.60, 0.97, 0.84], ["fine"] = [0.91, 0.93, 0.69] }).Name);
        // digits-like: far apart, take the better one
        Assert.Equal("fine", ClassifierSelection.PairedGainRule(cands, new Dictionary<string, double[]> { ["genre"] = [0.19, 0.29, 0.26], ["fine"] = [0.93, 0.94, 1.0] }).Name);
        // gtzan-mini, a fold of seed 0: 95.4% against 90.8%, but the gains by fold (-4, +13, +5) are within their noise
        Assert.Equal("genre", ClassifierSelection.PairedGainRule(cands, new Dictionary<string, double[]> { ["genre"] = [0.95, 0.84, 0.93], ["fine"] = [0.91, 0.97, 0.98] }).Name);
        // equal: the first
        Assert.Equal("genre", ClassifierSelection.PairedGainRule(cands, new Dictionary<string, double[]> { ["genre"] = [1.0, 1.0, 1.0], ["fine"] = [1.0, 1.0, 1.0] }).Name);
    }
}
