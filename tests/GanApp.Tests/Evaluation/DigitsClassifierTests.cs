using GanAudio.App.Data;
using GanAudio.App.Evaluation;
using GanApp.Tests.Data;

namespace GanApp.Tests.Evaluation;

public class DigitsClassifierTests(ITestOutputHelper output)
{
    [Fact]
    public void ClassifierChoosesTheFineSettingAndHearsWordsOfUnseenVoices()
    {
        Espeak.Require();
        using var dir = new TempDir();
        DigitSynth.Write(dir.Path, new DigitSynthOptions { Voices = 16, Seed = 1 });
        var ds = ClipGroups.Assign(AudioDataset.Load(dir.Path, new DatasetOptions { UseCache = false }), dir.Path, out _);
        // what `classifier train` does (the setting chosen by cross-validation on the training voices), with 3 members
        // to keep the test short; 4 of the 16 voices held out, never a clip of a training voice
        using var clf = ClassifierTraining.Train(ds, new ClassifierTrainOptions { Select = true, Members = 3 }, output.WriteLine);
        var i = clf.Info;
        output.WriteLine($"setting {i.Setting}; held-out accuracy {i.HeldOutAccuracy:P1} of {i.HeldOutSegments} clips of {i.HeldOutSources.Select(s => ClipGroups.SpeechCommandsSpeaker(s)).Distinct().Count()} voices");
        Assert.Equal("fine", i.Setting);
        Assert.Equal(40, i.HeldOutClips);
        Assert.Empty(i.HeldOutSources.Select(ClipGroups.SpeechCommandsSpeaker).Intersect(ds.Clips.Select(c => c.Source).Except(i.HeldOutSources).Select(ClipGroups.SpeechCommandsSpeaker)));
        Assert.True(i.HeldOutAccuracy >= 0.85, $"held-out-voice accuracy {i.HeldOutAccuracy:P1} < 85%");
    }
}
