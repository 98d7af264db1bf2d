using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Cli;

/// <summary>One error policy for options and config files: one line, exit 2, the option or key named, no .NET names.</summary>
[Collection("cli")]
public class ErrorPolicyTests
{
    [Theory]
    [InlineData("error: unknown option '--stpes' for 'GanApp train'; did you mean --steps?", "train", "--stpes")]
    [InlineData("error: unknown option '--stpes' for 'GanApp train'; did you mean --steps?", "train", "--stpes", "10")]
    [InlineData("error: --steps expects a whole number, got 'ten'", "train", "--steps", "ten")]
    [InlineData("error: --lr-d expects a number, got 'fast'", "train", "--lr-d", "fast")]
    [InlineData("error: --device tpu: unknown device; use cpu, cuda or cuda:N", "train", "--device", "tpu", "--steps", "1")]
    [InlineData("error: --steps 0: nothing to train; give at least 1", "train", "--steps", "0")]
    [InlineData("error: --loss: unknown loss 'wgan'; use wgan-gp, wgan-clip, bce or hinge", "train", "--loss", "wgan", "--steps", "1")]
    [InlineData("error: --model: unknown model 'gan'; use wavegan, study-mlp or study-conv", "train", "--model", "gan", "--steps", "1")]
    [InlineData("error: --optimizer: unknown optimizer 'adamw'; use adam, rmsprop or sgd", "train", "--optimizer", "adamw", "--steps", "1")]
    [InlineData("error: --normalize: unknown mode 'max'; use peak, zscore, zscore-dataset or none", "train", "--normalize", "max", "--steps", "1")]
    [InlineData("error: --preset: unknown preset 'gpu'; use wavegan or cpu", "train", "--preset", "gpu", "--steps", "1")]
    [InlineData("error: --init: unknown initialisation 'he'; use tf or torch", "train", "--init", "he", "--steps", "1")]
    [InlineData("error: --augment: unknown augmentation 'echo'; use gain, shift (comma-separated)", "train", "--augment", "gain,echo", "--steps", "1")]
    [InlineData("error: unknown command 'trian'; did you mean 'GanApp train'?", "trian")]
    [InlineData("error: --count expects a whole number, got 'many'", "generate", "--run", "x", "--count", "many")]
    [InlineData("error: --epochs 0: a classifier needs at least 1 epoch", "classifier", "train", "--out", "/tmp/ganaudio-never", "--epochs", "0")]
    public void UserMistakesAreOneLineAndExitTwo(string expected, params string[] args)
    {
        var (code, _, err) = RunCli(args);
        Assert.Equal(2, code);
        Assert.Equal(expected, err.Trim());
    }

    [Theory]
    [InlineData("{\"stpes\": 3}", "unknown key 'stpes'; did you mean 'steps'? (keys are the option names without --)")]
    [InlineData("{\"steps\": \"ten\"}", "key 'steps' expects a whole number, got \"ten\"")]
    [InlineData("{\"conditional\": 1}", "key 'conditional' expects true or false, got 1")]
    [InlineData("{\"loss\": \"wgan\"}", "key 'loss' expects wgan-gp, wgan-clip, bce or hinge, got \"wgan\"")]
    [InlineData("{\"device\": \"tpu\"}", "key 'device' expects cpu, cuda or cuda:N, got \"tpu\"")]
    [InlineData("{\"augment\": [\"gain\", \"echo\"]}", "key 'augment' expects a list of gain, shift, got [\"gain\",\"echo\"]")]
    [InlineData("{\"stft-discriminators\": [\"512\"]}", "key 'stft-discriminators' expects a list of whole numbers, got [\"512\"]")]
    [InlineData("{\"steps\": 3", "not valid JSON at line 1; the file is truncated or mistyped")]
    public void ConfigFileMistakesNameTheFileAndTheKey(string json, string expected)
    {
        var path = Path.Combine(TempDir(), "my.json");
        File.WriteAllText(path, json);
        var (code, _, err) = RunCli(["train", "--config", path]);
        Assert.Equal(2, code);
        Assert.Equal($"error: {path}: {expected}", err.Trim());
    }

    [Fact]
    public void OutNamingAFileIsOneClearLine()
    {
        var file = Path.Combine(TempDir(), "afile");
        File.WriteAllText(file, "x");
        var (code, _, err) = RunCli(["train", "--out", file, "--steps", "1"]);
        Assert.Equal(2, code);
        Assert.Equal($"error: --out {file} is a file; give a folder for the run", err.Trim());
    }

    [Fact]
    public void AnOutFolderThatCannotBeWrittenIsOneLineWithoutTemporaryNames()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Directory.Exists("/proc/self"), "needs /proc (not writable, even for root)");
        var (code, _, err) = RunCli(["train", "--out", "/proc/self/run", "--steps", "1", .. Tiny]);
        Assert.NotEqual(0, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: ", err);
        Assert.Contains("/proc/self/run", err);
        Assert.DoesNotContain(".tmp", err);
    }
}
