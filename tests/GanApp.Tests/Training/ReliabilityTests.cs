using System.Buffers.Binary;
using System.Text;
using GanAudio.App.Training;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary>Runs that cannot be broken (issue 16): a failed resume writes nothing, corrupt checkpoints are found and
/// skipped with one warning naming the file, generate lists existing steps and never overwrites clips.</summary>
[Collection("cli")]
public class ReliabilityTests
{
    private static string TrainTwo(string[]? extra = null)
    {
        var run = Path.Combine(TempDir(), "run");
        var (code, o, e) = RunCli(["train", "--out", run, "--steps", "2", "--checkpoint-every", "1", "--sample-every", "0", .. Tiny, .. extra ?? []]);
        Assert.True(code == 0, e + o);
        return run;
    }

    [Fact]
    public void AResumeWithAFixedOptionChangedFailsBeforeWritingAndTheRunStaysResumable()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        var config = File.ReadAllBytes(rf.ConfigPath);
        var metrics = File.ReadAllBytes(rf.MetricsPath);
        var (code, _, err) = RunCli(["train", "--resume", run, "--model-size", "16"]);
        Assert.Equal(2, code);
        Assert.Equal($"error: --model-size cannot change on resume: the run {rf.Root} has 2, the command asks for 16; drop the option, or start a new run with --out",
            err.Trim());
        Assert.Equal(config, File.ReadAllBytes(rf.ConfigPath)); // nothing was written
        Assert.Equal(metrics, File.ReadAllBytes(rf.MetricsPath));
        (code, _, err) = RunCli(["train", "--resume", run, "--seed", "5"]);
        Assert.Equal(2, code);
        Assert.Contains("--seed cannot change on resume", err);
        var (c2, o2, e2) = RunCli(["train", "--resume", run, "--steps", "3", "--lr-g", "2e-4"]); // options that may change
        Assert.True(c2 == 0, e2 + o2);
        Assert.Equal(3, rf.LatestStep());
        Assert.Equal(0, RunCli(["generate", "--run", run, "--count", "1"]).Code);
    }

    [Fact]
    public void AShapeMismatchIsReportedAsSuchAndWritesNothing()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        var original = File.ReadAllText(rf.ConfigPath);
        File.WriteAllText(rf.ConfigPath, original.Replace("\"model-size\": 2", "\"model-size\": 4")); // edited by hand
        var edited = File.ReadAllBytes(rf.ConfigPath);
        var (code, _, err) = RunCli(["train", "--resume", run, "--steps", "3"]);
        Assert.Equal(2, code);
        Assert.Contains("shape mismatch, the checkpoint does not fit the configured model", err);
        Assert.Contains(rf.WeightsPath(2), err);
        Assert.DoesNotContain("skipping", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(edited, File.ReadAllBytes(rf.ConfigPath));
        File.WriteAllText(rf.ConfigPath, original);
        Assert.Equal(0, RunCli(["train", "--resume", run, "--steps", "3"]).Code);
    }

    private static void RewriteWith(string path, Func<string, Tensor, Tensor> change)
    {
        var (tensors, meta) = Safetensors.Load(path);
        var changed = tensors.Select(kv => (kv.Key, change(kv.Key, kv.Value))).ToList();
        Safetensors.Save(path, changed, meta); // valid checksums: only the NaN check can catch it
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void NaNInTheOptimizerStateIsFoundAndResumeFallsBack()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        RewriteWith(rf.WeightsPath(2), (name, t) => name == "optimizer_g.fc.weight.exp_avg"
            ? Tensor.FromArray(t.ToFloatArray().Select((v, i) => i % 7 == 0 ? float.NaN : v).ToArray(), t.Shape) : t);
        var (code, o, err) = RunCli(["train", "--resume", run, "--steps", "3"]);
        Assert.True(code == 0, err + o);
        Assert.Contains($"warning: skipping checkpoint step-000002: {rf.WeightsPath(2)}: tensor 'optimizer_g.", err);
        Assert.Contains("NaN or infinite values", err);
        Assert.Contains("resumed", o);
        Assert.Contains("at step 1", o);
        var (tensors, _) = Safetensors.Load(rf.WeightsPath(3));
        TensorChecks.RequireFinite(tensors, rf.WeightsPath(3));
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void RandomBytesInTheWeightsAreCaughtByTheChecksumAndGenerateFallsBack()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        var path = rf.WeightsPath(2);
        var file = File.ReadAllBytes(path);
        int hlen = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = System.Text.Json.Nodes.JsonNode.Parse(Encoding.UTF8.GetString(file, 8, hlen))!;
        long start = (long)header["generator.fc.weight"]!["data_offsets"]![0]!;
        new Random(8).NextBytes(file.AsSpan((int)(8 + hlen + start), 8192)); // 8 KB of random bytes in generator.fc.weight
        File.WriteAllBytes(path, file);
        var gen = Path.Combine(TempDir(), "gen");
        var (code, o, err) = RunCli(["generate", "--run", run, "--count", "1", "--out", gen]);
        Assert.True(code == 0, err + o);
        Assert.Equal($"warning: skipping checkpoint step-000002: {path}: tensor 'generator.fc.weight' fails its checksum", err.Trim()[..(err.Trim().IndexOf(" (stored", StringComparison.Ordinal))]);
        Assert.Contains("from step 1", o);
        // asked for by number, the corrupt checkpoint is an error naming the file
        (code, _, err) = RunCli(["generate", "--run", run, "--checkpoint", "2", "--count", "1", "--out", gen, "--force"]);
        Assert.Equal(1, code);
        Assert.Contains(path, err);
    }

    [Fact]
    public void ATruncatedTrainerStateIsNamed()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        var text = File.ReadAllText(rf.StatePath(2));
        File.WriteAllText(rf.StatePath(2), text[..(text.Length / 2)]);
        var (code, o, err) = RunCli(["train", "--resume", run, "--steps", "3"]);
        Assert.True(code == 0, err + o);
        Assert.Contains($"warning: skipping checkpoint step-000002: {rf.StatePath(2)}: not a valid trainer state", err);
    }

    [Fact]
    public void GenerateListsTheStepsThatExistAndNeverOverwrites()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        var (code, _, err) = RunCli(["generate", "--run", run, "--checkpoint", "999"]);
        Assert.Equal(2, code);
        Assert.Equal($"error: --checkpoint 999: {rf.Root} has no complete checkpoint of step 999; steps there: 1, 2", err.Trim());
        var (c1, o1, _) = RunCli(["generate", "--run", run, "--count", "1"]);
        var (c2, o2, _) = RunCli(["generate", "--run", run, "--count", "1"]);
        Assert.Equal(0, c1 + c2);
        Assert.Contains(Path.Combine(rf.Root, "generated", "001"), o1);
        Assert.Contains(Path.Combine(rf.Root, "generated", "002"), o2);
        var gen = Path.Combine(TempDir(), "g");
        Assert.Equal(0, RunCli(["generate", "--run", run, "--count", "1", "--out", gen]).Code);
        (code, _, err) = RunCli(["generate", "--run", run, "--count", "1", "--out", gen]);
        Assert.Equal(2, code);
        Assert.Contains("already holds clips; add --force", err);
        Assert.Equal(0, RunCli(["generate", "--run", run, "--count", "1", "--out", gen, "--force"]).Code);
    }

    [Fact]
    public void ResumingAFinishedRunSaysSoAndWritesNothing()
    {
        var run = TrainTwo();
        var rf = new RunFolder(run);
        var config = File.ReadAllBytes(rf.ConfigPath);
        var (code, o, _) = RunCli(["train", "--resume", run, "--steps", "2"]);
        Assert.Equal(0, code);
        Assert.Contains("already at step 2 of --steps 2: nothing to train", o);
        Assert.DoesNotContain("samples:", o);
        Assert.Equal(config, File.ReadAllBytes(rf.ConfigPath));
    }

    [Fact]
    public void TheDiskFullMessageNamesKeepCheckpoints()
    {
        var m = CheckpointStore.DiskFullMessage(new RunFolder("/tmp/r"), 40, 5);
        Assert.Contains("--keep-checkpoints (now 5)", m);
        Assert.Contains("previous checkpoint is intact", m);
    }
}
