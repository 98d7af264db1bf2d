using GanAudio.App.Cli;
using GanAudio.App.Evaluation;

namespace GanApp.Tests.Evaluation;

/// <summary>The evaluation commands end to end on a tiny run: train with --eval-every, classifier train, eval, report.</summary>
public class EvalCliTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "ganaudio-evalcli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void TrainEvalAndReportOnATinyRun()
    {
        string run = Path.Combine(root, "run"), clf = Path.Combine(root, "clf");
        Assert.Equal(0, CliApp.Run(["train", "--out", run, "--steps", "2", "--batch", "4", "--d-steps", "1", "--model-size", "4",
            "--sample-every", "1", "--checkpoint-every", "2", "--log-every", "1", "--eval-every", "1"]));
        var history = EvalFile.Load(run).History;
        Assert.Equal([1L, 2L], history.Select(e => e.Step));
        Assert.Null(history[0].Generated.InceptionScore); // no classifier during training
        Assert.NotNull(history[0].Generated.PitchPrecision);
        Assert.Equal(1.0, history[0].Real.PitchPrecision);

        Assert.Equal(0, CliApp.Run(["classifier", "train", "--out", clf, "--epochs", "3"]));
        Assert.True(File.Exists(Path.Combine(clf, Classifier.WeightsFile)));
        Assert.Equal(0, CliApp.Run(["eval", "--run", run, "--classifier", clf, "--count", "20"]));
        var latest = EvalFile.Load(run).Latest!;
        Assert.Equal(2, latest.Step);
        Assert.Equal(20, latest.Generated.Count);
        Assert.InRange(latest.Generated.InceptionScore!.Value, 1.0, 8.0);
        Assert.True(latest.Generated.FrechetDistance >= 0);
        Assert.True(latest.Noise.SpectralFlatness > latest.Real.SpectralFlatness);

        Assert.Equal(0, CliApp.Run(["report", "--run", run]));
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void ClassifierTrainOnAFolderUsesTheLibraryDefaults()
    {
        // the command once kept defaults of its own (band shift 8, 12 epochs) and reported 83.3 % where the tuned ones give 93.1 %
        string data = Path.Combine(root, "data"), clf = Path.Combine(root, "clf-defaults");
        var rng = new Random(3);
        foreach (var genre in new[] { "hiss", "hum" })
            for (int i = 0; i < 2; i++)
            {
                var x = Enumerable.Range(0, 20000).Select(t => genre == "hiss" ? (float)(rng.NextDouble() - 0.5) : (float)Math.Sin(t * 0.05 * (i + 1))).ToArray();
                Directory.CreateDirectory(Path.Combine(data, genre));
                GanAudio.App.Audio.WavWriter.Write(Path.Combine(data, genre, $"{genre}.{i:D5}.wav"), x, 16000);
            }
        Assert.Equal(0, CliApp.Run(["classifier", "train", "--data", data, "--out", clf]));
        var info = System.Text.Json.JsonSerializer.Deserialize<ClassifierInfo>(File.ReadAllText(Path.Combine(clf, Classifier.InfoFile)),
            GanAudio.App.Training.TrainConfig.Json)!;
        var defaults = new ClassifierTrainOptions();
        Assert.Equal(defaults.Epochs, info.Epochs);
        Assert.Equal(defaults.MaxBandShift, info.MaxBandShift);
        Assert.Equal(defaults.Members, info.Members);
        Assert.Equal(defaults.BagClips, info.BagClips);
        Assert.Equal(defaults.ConvBands, info.ConvBands);
        Assert.Equal(defaults.HiddenUnits, info.HiddenUnits);
        Assert.Equal(defaults.SegmentLength, info.SegmentLength);
        Assert.Equal("genre", info.Setting); // one training clip per class: too few to cross-validate a choice, so the first setting
    }

    [Fact]
    public void BadInputIsAUsageError()
    {
        Assert.Equal(2, CliApp.Run(["eval", "--run", Path.Combine(root, "missing")]));
        Assert.Equal(2, CliApp.Run(["report", "--run", Path.Combine(root, "missing")]));
        Assert.Equal(2, CliApp.Run(["classifier", "train", "--out", root, "--data", Path.Combine(root, "missing")]));
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }
}
