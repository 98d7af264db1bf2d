using System.Text.Json.Nodes;
using GanAudio.App.Audio;
using GanAudio.App.Training;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

[Collection("cli")]
public class TrainEndToEndTests
{
    [Fact]
    public void TrainCheckpointGenerate()
    {
        var dir = TempDir();
        var run = Path.Combine(dir, "run");
        var (code, output, err) = RunCli(["train", "--out", run, "--steps", "2", "--checkpoint-every", "1", "--sample-every", "1", .. Tiny]);
        Assert.True(code == 0, err + output);
        var rf = new RunFolder(run);
        Assert.Equal(2, rf.LatestStep());
        Assert.True(File.Exists(rf.ConfigPath));
        Assert.True(File.Exists(rf.MetricsPath));
        Assert.Equal(3, File.ReadAllLines(rf.MetricsPath).Length); // header + 2 rows
        Assert.Equal(2, Directory.GetFiles(rf.SampleDir(1), "*.wav").Length);
        Assert.True(File.Exists(rf.LossPlotPath) && new FileInfo(rf.LossPlotPath).Length > 1000);
        Assert.Contains("samples:", output);

        var gen = Path.Combine(dir, "gen");
        (code, output, err) = RunCli(["generate", "--run", run, "--count", "3", "--out", gen, "--seed", "7"]);
        Assert.True(code == 0, err);
        var files = Directory.GetFiles(gen, "*.wav");
        Assert.Equal(3, files.Length);
        var audio = AudioFile.Read(files[0]);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(16384, audio.Channels[0].Length);

        (code, _, err) = RunCli(["generate", "--run", run, "--count", "2", "--out", Path.Combine(dir, "interp"), "--interpolate"]);
        Assert.True(code == 0, err);
        (code, _, err) = RunCli(["generate", "--run", run, "--checkpoint", "1", "--count", "1", "--out", Path.Combine(dir, "g1")]);
        Assert.True(code == 0, err);
    }

    [Fact]
    public void ConditionalTrainThenGeneratePerGenre()
    {
        var dir = TempDir();
        var run = Path.Combine(dir, "run");
        var (code, output, err) = RunCli(["train", "--out", run, "--steps", "1", "--conditional", .. Tiny]);
        Assert.True(code == 0, err + output);
        var samples = Directory.GetFiles(new RunFolder(run).SampleDir(1), "*.wav");
        Assert.Contains(samples, f => f.Contains("p130.81hz"));
        var gen = Path.Combine(dir, "gen");
        (code, output, err) = RunCli(["generate", "--run", run, "--count", "2", "--genre", "p440.00hz", "--out", gen]);
        Assert.Equal(2, code); // unknown genre: usage error naming the known ones
        Assert.Contains("p130.81hz", err);
        (code, output, err) = RunCli(["generate", "--run", run, "--count", "2", "--genre", "p880.00hz", "--out", gen]);
        Assert.True(code == 0, err);
        Assert.All(Directory.GetFiles(gen, "*.wav"), f => Assert.Contains("p880.00hz", f));
    }

    [Fact]
    public void StudyMlpWithBceAndLabelSmoothing()
    {
        var dir = TempDir();
        var run = Path.Combine(dir, "run");
        var (code, output, err) = RunCli(["train", "--out", run, "--steps", "3", "--model", "study-mlp", "--length", "1024",
            "--hidden-units", "16", "--loss", "bce", "--label-smoothing", "0.1", "--g-steps", "2", "--lr-d", "2e-4", "--lr-g", "1e-3",
            "--batch", "4", "--sample-count", "2", "--threads", "1"]);
        Assert.True(code == 0, err + output);
        var cfg = JsonNode.Parse(File.ReadAllText(new RunFolder(run).ConfigPath))!;
        Assert.Equal("bce", (string?)cfg["loss"]);
        Assert.Equal(0.1, (double)cfg["label-smoothing"]!);
        Assert.Equal(2, (int)cfg["g-steps"]!);
        Assert.Equal(2e-4, (double)cfg["lr-d"]!);
        var rows = File.ReadAllLines(new RunFolder(run).MetricsPath).Skip(1).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.True(double.IsFinite(double.Parse(r.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void ConfigFilePlusOverridesResolveIntoConfigJson()
    {
        var dir = TempDir();
        var cfgPath = Path.Combine(dir, "cfg.json");
        File.WriteAllText(cfgPath, """
            { "model": "study-conv", "length": 4096, "conv-layers": 2, "channels": 4, "batch": 2, "steps": 5, "lr-g": 0.002,
              "sample-count": 1, "threads": 1 }
            """);
        var run = Path.Combine(dir, "run");
        var (code, output, err) = RunCli(["train", "--config", cfgPath, "--out", run, "--steps", "1", "--batch-norm", "--extra-layers", "1"]);
        Assert.True(code == 0, err + output);
        var cfg = JsonNode.Parse(File.ReadAllText(new RunFolder(run).ConfigPath))!;
        Assert.Equal("study-conv", (string?)cfg["model"]);
        Assert.Equal(4096, (int)cfg["length"]!);
        Assert.Equal(1, (int)cfg["steps"]!);            // override wins
        Assert.Equal(0.002, (double)cfg["lr-g"]!);       // from the file
        Assert.True((bool)cfg["batch-norm"]!);           // flag override
        Assert.Equal(1, (int)cfg["extra-layers"]!);
        Assert.Equal(1e-4, (double)cfg["lr-d"]!);        // default
    }

    [Theory]
    [InlineData(new[] { "train", "--steps", "x" }, 2)]
    [InlineData(new[] { "train", "--no-such-option" }, 2)]
    [InlineData(new[] { "train", "--data", "/nonexistent/folder", "--steps", "1" }, 2)]
    [InlineData(new[] { "train", "--model", "gpt", "--steps", "1" }, 2)]
    [InlineData(new[] { "train", "--length", "1000", "--steps", "1" }, 2)]
    [InlineData(new[] { "generate", "--run", "/nonexistent/run" }, 2)]
    public void BadInputGivesOneLineAndUsageExitCode(string[] args, int expected)
    {
        var (code, _, err) = RunCli(args);
        Assert.Equal(expected, code);
        Assert.StartsWith("error:", err.TrimStart());
        Assert.DoesNotContain("   at ", err); // no stack trace without --verbose
    }

    [Fact]
    public void ExistingRunIsNotOverwritten()
    {
        var run = Path.Combine(TempDir(), "run");
        Assert.Equal(0, RunCli(["train", "--out", run, "--steps", "1", .. Tiny]).Code);
        var (code, _, err) = RunCli(["train", "--out", run, "--steps", "1", .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains("--resume", err);
    }
}

[CollectionDefinition("cli", DisableParallelization = true)]
public class CliCollection;
