using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Tensors;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary><c>--precision tf32|fp32</c>: recorded in config.json (tf32 by default), refused for other words, free to change
/// on resume (it is no model option), taken by generate, and the Tensor-level setting restored after a command.</summary>
[Collection("cli")]
public class PrecisionOptionTests
{
    private static string ConfigText(string run) => File.ReadAllText(new RunFolder(run).ConfigPath);

    [Fact]
    public void TrainRecordsItResumeMayChangeItAndGenerateTakesIt()
    {
        var dir = TempDir();
        string run = Path.Combine(dir, "r");
        var before = Devices.Precision;
        var (code, output, err) = RunCli(["train", "--out", run, "--steps", "1", "--checkpoint-every", "1", "--sample-every", "0", .. Tiny]);
        Assert.True(code == 0, err + output);
        Assert.Contains("\"precision\": \"tf32\"", ConfigText(run));
        Assert.Equal(before, Devices.Precision);

        (code, output, err) = RunCli(["train", "--resume", run, "--steps", "2", "--precision", "fp32"]);
        Assert.True(code == 0, err + output);
        Assert.Contains("\"precision\": \"fp32\"", ConfigText(run));
        Assert.Equal(before, Devices.Precision);

        (code, output, err) = RunCli(["generate", "--run", run, "--count", "1", "--precision", "tf32", "--out", Path.Combine(dir, "g")]);
        Assert.True(code == 0, err + output);
        Assert.Equal(before, Devices.Precision);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("generate")]
    public void OtherWordsAreRefusedNamingTheChoices(string command)
    {
        var dir = TempDir();
        var args = command == "train"
            ? new[] { "train", "--out", Path.Combine(dir, "r"), "--steps", "1", "--precision", "bf16" }
            : new[] { "generate", "--run", dir, "--precision", "bf16" };
        var (code, output, err) = RunCli(args);
        Assert.Equal(2, code);
        Assert.Contains("--precision", err + output);
        Assert.Contains("tf32", err + output);
        Assert.Contains("fp32", err + output);
    }

    [Fact]
    public void TheWordsMapToTheTensorSetting()
    {
        Assert.Equal(MathPrecision.Tf32, PrecisionKind.Tf32.ToMath());
        Assert.Equal(MathPrecision.Fp32, PrecisionKind.Fp32.ToMath());
        Assert.Equal(PrecisionKind.Tf32, new TrainConfig().Precision);
    }
}
