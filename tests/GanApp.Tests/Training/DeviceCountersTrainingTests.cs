using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Tensors;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary>What a training iteration asks of the CUDA device, counted by <see cref="Devices.Counters"/> (the real driver
/// when one is installed, else the CPU simulator of tests/CudaSim): between log steps an iteration never waits for the
/// device (its losses stay there until the log interval's one read), and once the first iteration has warmed the
/// caching allocator no iteration asks the driver for memory. Counts, not times.</summary>
[Collection("cli")]
public class DeviceCountersTrainingTests(ITestOutputHelper log)
{
    private const int LogEvery = 5, Iterations = 2 * LogEvery;

    /// <summary>The launches the design gives one iteration of <see cref="Tiny"/> (a critic step with its gradient penalty,
    /// a generator step, the weight average): every tape op one kernel forward and its rule's kernels backward, conv
    /// as im2col + one GEMM per chunk, one fused Adam launch per optimizer step, the weight average two in-place kernels per
    /// generator parameter, one phase-shuffle kernel each way, bias + leaky ReLU fused in the critic. Recorded when the design was complete
    /// (537 between log steps, 538 at a log step); the count must stay within 10 % of it.</summary>
    private const int DesignLaunches = 537;

    /// <summary>A tiny conditional WaveGAN (d = 1, batch 2, 16384 samples, WGAN-GP with one critic step, weight average):
    /// the demo's recipe, made small for the simulator, phase shuffle included (one kernel each way whatever the shift, so
    /// every iteration issues the same work).</summary>
    private static TrainConfig Tiny() => DemoConfig.Waveform with
    {
        Device = Device.Cuda(), ModelSize = 1, Batch = 2, DSteps = 1, Steps = Iterations, LogEvery = LogEvery, SampleCount = 1,
        Threads = 1, SampleEvery = 0, CheckpointEvery = 0, Seed = 7,
    };

    [Fact]
    public void IterationsBetweenLogStepsDoNotWaitForTheDevice()
    {
        GanAudio.Tests.Shared.DeviceRows.Get("cuda");
        var cfg = Tiny();
        var data = DataFactory.Create(cfg, TextWriter.Null);
        using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
        var perIteration = new List<DeviceCounters>();
        for (int i = 0; i < Iterations; i++)
        {
            var before = Devices.Counters(cfg.Device);
            t.TrainIteration();
            perIteration.Add(Devices.Counters(cfg.Device) - before);
        }
        for (int i = 0; i < Iterations; i++) log.WriteLine($"iteration {i + 1}{((i + 1) % LogEvery == 0 ? " (log step)" : "")}: {perIteration[i]}");

        // the trainer read the rows by itself at each full interval: every iteration is in the metrics, finite
        Assert.Equal(0, t.PendingSteps);
        Assert.Equal(Enumerable.Range(1, Iterations).Select(s => (double)s), t.Metrics.History.Select(h => h[0]));
        Assert.All(t.Metrics.History, h => Assert.All(h, v => Assert.True(double.IsFinite(v))));

        var between = perIteration.Where((_, i) => (i + 1) % LogEvery != 0).ToList();
        var logSteps = perIteration.Where((_, i) => (i + 1) % LogEvery == 0).ToList();
        Assert.All(between, c => Assert.True(c.HostSyncs <= 1, $"an iteration between log steps waited for the device {c.HostSyncs} times ({c})"));
        Assert.All(between, c => Assert.Equal(0, c.BytesFromDevice));
        // the log step's one read: all rows of the interval in one download
        long syncsBetween = between.Max(c => c.HostSyncs);
        Assert.All(logSteps, c => Assert.True(c.HostSyncs <= syncsBetween + 1, $"a log step waited for the device {c.HostSyncs} times ({c})"));
        // the interval's rows as float64: D loss, G loss, penalty, E[D(real)], E[D(fake)] of the one waveform critic
        Assert.All(logSteps, c => Assert.Equal(LogEvery * 5 * 8L, c.BytesFromDevice));
        Assert.All(perIteration.Skip(1), c => Assert.True(c.DriverAllocations == 0, $"the caching allocator missed after the first iteration ({c})"));
        // every warm iteration issues the same work
        var warm = between.Skip(1).ToList();
        Assert.Single(warm.Select(c => c.Launches).Distinct());
        Assert.InRange(warm[0].Launches, (long)(0.9 * DesignLaunches), (long)(1.1 * DesignLaunches));
        log.WriteLine($"per iteration between log steps (after the first): host syncs {warm.Max(c => c.HostSyncs)} at most, " +
                      $"launches {warm.Min(c => c.Launches)}–{warm.Max(c => c.Launches)}, driver allocations {warm.Sum(c => c.DriverAllocations)}, " +
                      $"bytes to the device {warm.Max(c => c.BytesToDevice)}, from it {warm.Max(c => c.BytesFromDevice)}; " +
                      $"log step: host syncs {logSteps.Max(c => c.HostSyncs)}, bytes from the device {logSteps.Max(c => c.BytesFromDevice)}");
    }
}
