using System.Globalization;
using System.Text.RegularExpressions;
using GanAudio.App.Training;
using static GanApp.Tests.Training.ProcessHarness;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary>The run folder's lock, SIGTERM and kills at random moments, with real processes and real signals.</summary>
[Collection("cli")]
public class RunLockTests
{
    [Fact]
    public void ASecondProcessIsRefusedAndAStaleLockIsTakenOver()
    {
        var why = SkipReason();
        Assert.SkipWhen(why is not null, why ?? "");
        var run = Path.Combine(TempDir(), "run");
        using var a = Start(["train", "--out", run, "--steps", "100000", "--checkpoint-every", "1", "--sample-every", "0", .. Tiny]);
        WaitFor(a, () => new RunFolder(run).LatestStep() is not null);
        Assert.False(a.HasExited, a.HasExited ? a.StandardError.ReadToEnd() : "");

        // a second train on the same folder (another seed, as in the issue), a resume and a generate into it are refused, exit 2
        var b = ProcessHarness.Run(["train", "--out", run, "--steps", "3", "--seed", "5", .. Tiny]);
        Assert.Equal(2, b.Code); // "already holds a run" once a checkpoint exists, the lock before that
        var r = ProcessHarness.Run(["train", "--resume", run, "--steps", "5"]);
        Assert.Equal(2, r.Code);
        Assert.Equal($"error: {new RunFolder(run).Root} is in use by GanApp train (pid {a.Id}); wait for it to finish or use another folder", r.Err.Trim());
        var g = ProcessHarness.Run(["generate", "--run", run, "--count", "1"]);
        Assert.Equal(2, g.Code);
        Assert.Contains("in use by GanApp train", g.Err);

        a.Kill(); // SIGKILL: the OS drops the lock; the owner file stays behind
        a.WaitForExit();
        var rf = new RunFolder(run);
        Assert.True(File.Exists(RunLock.OwnerPath(rf.Root)));
        // a temporary file of an interrupted checkpoint write, as a kill at the wrong moment leaves it
        var orphan = Path.Combine(rf.CheckpointDir, $".step-000099.safetensors.{a.Id}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(orphan, "partial");
        long at = rf.LatestStep()!.Value;
        var c = ProcessHarness.Run(["train", "--resume", run, "--steps", (at + 1).ToString(CultureInfo.InvariantCulture)]);
        Assert.True(c.Code == 0, c.Err + c.Out);
        Assert.Contains($"note: taking over the stale lock of GanApp train (pid {a.Id}), which is no longer running", c.Err);
        // ours, and more when the kill itself landed inside a checkpoint write (likely on a loaded machine)
        Assert.Matches(@"removed [1-9][0-9]* temporary files? left by an interrupted run", c.Err);
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(RunLock.OwnerPath(rf.Root))); // released on a normal exit
        Assert.Equal(at + 1, rf.LatestStep());
        // metrics hold every step once, in order (no second writer interleaved)
        var steps = File.ReadAllLines(rf.MetricsPath).Skip(1).Select(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, (int)at + 1).Select(i => (long)i), steps);
    }

    [Fact]
    public void SigtermFinishesTheStepWritesACheckpointAndExitsZero()
    {
        var why = SkipReason(needsKill: true);
        Assert.SkipWhen(why is not null, why ?? "");
        var run = Path.Combine(TempDir(), "run");
        using var p = Start(["train", "--out", run, "--steps", "100000", "--checkpoint-every", "2", "--sample-every", "0", .. Tiny]);
        WaitFor(p, () => new RunFolder(run).LatestStep() is not null);
        Assert.False(p.HasExited, p.HasExited ? p.StandardError.ReadToEnd() : "");
        Signal(p, "TERM");
        var err = p.StandardError.ReadToEndAsync();
        string stdout = WaitForExitOrKill(p, 60, "SIGTERM");
        Assert.Equal(0, p.ExitCode); // not 143
        Assert.Contains("interrupt: finishing the current step and writing a checkpoint", err.Result);
        var m = Regex.Match(stdout, @"stopped at step (\d+); continue with: GanApp train --resume");
        Assert.True(m.Success, stdout);
        Assert.Equal(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), new RunFolder(run).LatestStep());
    }

    /// <summary>The issue's fault injection: SIGKILL at 20 random moments (many of them inside checkpoint writes, one a
    /// step); after each, the checkpoint <c>latest</c> names loads, passes its checksums, holds only finite values and
    /// has a readable trainer state, and the next resume continues from it.</summary>
    [Fact]
    public void TwentyRandomKillsNeverLeaveABadLatestCheckpoint()
    {
        var why = SkipReason();
        Assert.SkipWhen(why is not null, why ?? "");
        var run = Path.Combine(TempDir(), "run");
        var rf = new RunFolder(run);
        var rng = new Random(20);
        long lastSeen = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            string[] call = attempt == 0
                ? ["train", "--out", run, "--steps", "100000", "--checkpoint-every", "1", "--keep-checkpoints", "2", "--sample-every", "0", .. Tiny]
                : ["train", "--resume", run];
            using var p = Start(call);
            WaitFor(p, () => (rf.LatestStep() ?? 0) > lastSeen);
            Thread.Sleep(rng.Next(0, 250));
            Assert.False(p.HasExited, p.HasExited ? p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd() : "");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            var latest = rf.LatestStep();
            Assert.NotNull(latest);
            Assert.True(latest >= lastSeen, $"latest {latest} went back from {lastSeen}");
            lastSeen = latest!.Value;
            var tensors = CheckpointStore.ReadTensors(rf.WeightsPath(lastSeen), GanAudio.Kernels.Device.Cpu); // checksums + finite
            Assert.Contains("generator.fc.weight", tensors.Keys);
            foreach (var t in tensors.Values) t.Dispose();
            Assert.Equal(lastSeen, CheckpointStore.ReadState(rf.StatePath(lastSeen)).Step);
        }
        var r = ProcessHarness.Run(["train", "--resume", run, "--steps", (lastSeen + 1).ToString(CultureInfo.InvariantCulture)]);
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains($"resumed {rf.Root} at step {lastSeen}", r.Out);
        Assert.DoesNotContain("warning", r.Err);
    }
}
