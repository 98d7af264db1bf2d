using System.Diagnostics;
using System.Globalization;
using GanAudio.App.Training;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

[Collection("cli")]
public class ResumeTests
{
    private static string[] LossColumns(string metricsPath) =>
        File.ReadAllLines(metricsPath).Skip(1).Select(l =>
        {
            var p = l.Split(',');
            return string.Join(',', p[0], p[2], p[3], p[4], p[5]); // step, d_loss, g_loss, gp, wasserstein (not wall time)
        }).ToArray();

    private static byte[] TensorBytes(string safetensors)
    {
        // compare the whole file: header (names, shapes, offsets, metadata) and every tensor's bytes
        return File.ReadAllBytes(safetensors);
    }

    [Fact]
    public void ResumeIsExact()
    {
        var dir = TempDir();
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        string[] common = ["--phase-shuffle", "2", "--d-steps", "2", "--model-size", "2", "--batch", "3", "--sample-count", "1",
            "--log-every", "1", "--checkpoint-every", "2", "--sample-every", "0", "--seed", "5", "--threads", "1"];
        Assert.Equal(0, RunCli(["train", "--out", a, "--steps", "6", .. common]).Code);
        Assert.Equal(0, RunCli(["train", "--out", b, "--steps", "3", .. common]).Code);
        var (code, output, err) = RunCli(["train", "--resume", b, "--steps", "6"]);
        Assert.True(code == 0, err + output);
        Assert.Contains("resumed", output);
        var ra = new RunFolder(a);
        var rb = new RunFolder(b);
        Assert.Equal(6, rb.LatestStep());
        Assert.Equal(TensorBytes(ra.WeightsPath(6)), TensorBytes(rb.WeightsPath(6)));
        Assert.Equal(LossColumns(ra.MetricsPath), LossColumns(rb.MetricsPath));
        Assert.Equal(6, LossColumns(rb.MetricsPath).Length);
    }

    [Fact]
    public void KilledTrainingResumesFromLastCompleteCheckpoint()
    {
        var dll = GanAppDll;
        Assert.SkipUnless(File.Exists(dll), $"GanApp.dll not found next to the tests ({dll})");
        var run = Path.Combine(TempDir(), "run");
        string[] args = ["train", "--out", run, "--steps", "400", "--checkpoint-every", "1", "--keep-checkpoints", "2", "--sample-every", "0",
            .. Tiny];
        var rng = new Random(1234);
        long lastSeen = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            string[] call = attempt == 0 ? args : ["train", "--resume", run, "--steps", "400"];
            using var p = ProcessHarness.Start(call);
            // wait for the run to make progress, then kill it at a random moment
            var until = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < until && !p.HasExited && (new RunFolder(run).LatestStep() ?? 0) <= lastSeen) Thread.Sleep(20);
            Thread.Sleep(rng.Next(0, 400));
            Assert.False(p.HasExited && p.ExitCode != 0, p.HasExited ? p.StandardError.ReadToEnd() : "");
            if (!p.HasExited) p.Kill(entireProcessTree: true); // SIGKILL
            p.WaitForExit();
            var rf = new RunFolder(run);
            // no temporary file may ever be taken for a checkpoint, and every complete checkpoint must load
            var latest = rf.LatestStep();
            Assert.NotNull(latest);
            Assert.True(latest >= lastSeen, $"latest {latest} went back from {lastSeen}");
            lastSeen = latest!.Value;
            foreach (var s in rf.CheckpointSteps())
            {
                var (tensors, meta) = GanAudio.Nn.Checkpoints.Safetensors.Load(rf.WeightsPath(s));
                Assert.Equal(s.ToString(CultureInfo.InvariantCulture), meta["step"]);
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        // the final resume continues from the last complete checkpoint
        using (var p = ProcessHarness.Start(["train", "--resume", run, "--steps", (lastSeen + 2).ToString(CultureInfo.InvariantCulture)]))
        {
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, stdout + p.StandardError.ReadToEnd());
            Assert.Contains($"resumed {new RunFolder(run).Root} at step {lastSeen}", stdout);
        }
        Assert.Equal(lastSeen + 2, new RunFolder(run).LatestStep());
        var steps = File.ReadAllLines(new RunFolder(run).MetricsPath).Skip(1).Select(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, (int)lastSeen + 2).Select(i => (long)i), steps); // each step logged once, in order
    }

    [Fact]
    public void CtrlCFinishesTheStepWritesACheckpointAndExitsZero()
    {
        var dll = GanAppDll;
        Assert.SkipUnless(File.Exists(dll), $"GanApp.dll not found next to the tests ({dll})");
        var why = ProcessHarness.SkipReason(needsSigint: true);
        Assert.SkipWhen(why is not null, why ?? "");
        var run = Path.Combine(TempDir(), "run");
        using var p = ProcessHarness.Start(["train", "--out", run, "--steps", "100000", "--checkpoint-every", "2", "--sample-every", "0", .. Tiny]);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && !p.HasExited && new RunFolder(run).LatestStep() is null) Thread.Sleep(20);
        Assert.False(p.HasExited, p.HasExited ? p.StandardError.ReadToEnd() : "");
        using (var kill = Process.Start("/bin/kill", ["-INT", p.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        string stdout = ProcessHarness.WaitForExitOrKill(p, 60, "SIGINT");
        Assert.Equal(0, p.ExitCode);
        var m = System.Text.RegularExpressions.Regex.Match(stdout, @"stopped at step (\d+)");
        Assert.True(m.Success, stdout);
        Assert.Equal(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), new RunFolder(run).LatestStep());
    }
}
