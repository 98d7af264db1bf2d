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
