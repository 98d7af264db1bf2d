using GanAudio.App.Data;
using GanAudio.App.Models;
using GanAudio.App.Training;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

[Collection("cli")]
public class TrainerBehaviourTests
{
    private static TrainConfig Tiny(int steps = 3) => DemoConfig.Waveform with
    {
        ModelSize = 2, Batch = 2, DSteps = 1, Steps = steps, SampleCount = 1, Threads = 1, SampleEvery = 0, CheckpointEvery = 0,
    };

    [Fact]
    public void PhaseShuffleRunsDuringTraining()
    {
        // the waveform critic holds the phase shuffles (the cpu preset replaces it with spectrogram critics)
        var cfg = Tiny(8) with { WaveDiscriminator = true, StftDiscriminators = null };
        var data = DataFactory.Create(cfg, TextWriter.Null);
        using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
        var shuffles = t.D.PhaseShuffles;
        Assert.Equal(4, shuffles.Count);
        var seen = new HashSet<int>();
        for (int i = 0; i < 8; i++)
        {
            t.TrainIteration();
            foreach (var ps in shuffles)
            {
                Assert.Single(ps.LastShifts);
                seen.Add(ps.LastShifts[0]);
            }
        }
        // every D forward (real, fake, gradient penalty) applied a shift, and the shifts vary over [-2, 2]
        Assert.All(shuffles, ps => Assert.True(ps.ShuffleCount >= 8 * 3, $"only {ps.ShuffleCount} shuffles"));
        Assert.True(seen.Count >= 3, $"shifts seen: {string.Join(",", seen)}");
        Assert.All(seen, s => Assert.InRange(s, -2, 2));
    }

    [Fact]
    public void NanLossStopsWithClearMessageAndKeepsCheckpoint()
    {
        var run = Path.Combine(TempDir(), "run");
        var cfg = Tiny(4) with { Normalize = NormalizeMode.None };
        var data = new NanData(DataFactory.Create(cfg, TextWriter.Null));
        var rf = new RunFolder(run);
        using var t = new Trainer(cfg, data, rf);
        t.TrainIteration();
        t.Checkpoints.Save();
        data.Poison = true;
        t.TrainIteration();  // the losses stay on the device until they are read
        var e = Assert.Throws<TrainingDivergedException>(() => t.ReadLosses());
        Assert.Contains("diverged at step 2", e.Message);
        Assert.Equal(1, rf.LatestStep());
    }

    /// <summary>Losses are read once per log interval: the read checks every iteration of the interval in order, records
    /// the good ones before the first bad one and names that one's step, as a per-step check would.</summary>
    [Fact]
    public void ReadAtTheIntervalReportsTheFirstDivergedStep()
    {
        var cfg = Tiny(6) with { Normalize = NormalizeMode.None, LogEvery = 5 };
        var data = new NanData(DataFactory.Create(cfg, TextWriter.Null));
        using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
        t.TrainIteration();
        t.TrainIteration();
        Assert.Equal(2, t.PendingSteps);
        Assert.Empty(t.Metrics.History);
        data.Poison = true;
        t.TrainIteration();
        t.TrainIteration();
        // the fifth iteration fills the interval: the trainer reads the rows itself
        var e = Assert.Throws<TrainingDivergedException>(() => t.TrainIteration());
        Assert.Contains("diverged at step 3", e.Message);
        Assert.Equal(new double[] { 1, 2 }, t.Metrics.History.Select(h => h[0]));
        Assert.All(t.Metrics.History, h => Assert.True(double.IsFinite(h[1]) && double.IsFinite(h[2])));
        Assert.Equal(0, t.PendingSteps);
    }

    /// <summary>Several iterations read at once give the same losses as one read per iteration (the rows are zeroed
    /// between reads, so a regulariser that skips an iteration reads 0 there).</summary>
    [Fact]
    public void OneReadPerIntervalMatchesOneReadPerStep()
    {
        var cfg = Presets.Apply(Presets.Cpu, Tiny(6)) with { ModelSize = 2, Batch = 2, R1Every = 3, StftDiscriminators = [64, 32], LogEvery = 6 };
        List<StepReport> Train(bool everyStep)
        {
            var data = DataFactory.Create(cfg, TextWriter.Null);
            using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
            for (int i = 0; i < 6; i++)
            {
                t.TrainIteration();
                if (everyStep) Assert.Single(t.ReadLosses());
            }
            // without reads, the sixth iteration fills the rows and the trainer reads them itself
            Assert.Equal(0, t.PendingSteps);
            Assert.Equal(6, t.Metrics.History.Count);
            return t.Metrics.History.Select(h => new StepReport((long)h[0], h[1], h[2], h[3], h[4], 0, 0)).ToList();
        }
        var perStep = Train(everyStep: true);
        var perInterval = Train(everyStep: false);
        Assert.Equal(perStep, perInterval);
        Assert.Contains(perStep, r => r.Gp == 0);
        Assert.Contains(perStep, r => r.Gp > 0);
    }

    [Fact]
    public void CancellationCheckpointsAndExitsZero()
    {
        var run = new RunFolder(Path.Combine(TempDir(), "run"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        lock (ConsoleLock)
        {
            var old = Console.Out;
            Console.SetOut(TextWriter.Null);
            try
            {
                Assert.Equal(0, TrainingSession.Run(Tiny(5), run, resuming: false, cts.Token));
            }
            finally
            {
                Console.SetOut(old);
            }
        }
        Assert.Equal(0, run.LatestStep());
    }

    [Fact]
    public void Wavegan65536HasSixLayersAndRightShapes()
    {
        var o = new WaveGanOptions { ModelSize = 1, Length = 65536 };
        using var g = new WaveGanGenerator(o);
        using var d = new WaveGanDiscriminator(o);
        using var scope = GanAudio.Tensors.TensorScope.Begin();
        var z = GanAudio.Tensors.Tensor.Rand([1, 100], null, -1, 1);
        var x = g.Generate(z, null);
        Assert.Equal(new[] { 1, 1, 65536 }, x.Shape);
        Assert.Equal(new[] { 1, 1 }, d.Score(x, null).Shape);
        Assert.Equal(6, g.NamedChildren().Count(c => c.Name.StartsWith("deconv", StringComparison.Ordinal)));
        Assert.Equal(new[] { 32, 16, 25 }, g.NamedParameters().First(p => p.Name == "deconv1.weight").Value.Shape);
    }

    /// <summary>Wraps a dataset and turns its batches into NaN on demand.</summary>
    private sealed class NanData(ITrainingData inner) : ITrainingData
    {
        public bool Poison { get; set; }

        public int Length => inner.Length;

        public int SampleRate => inner.SampleRate;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public int Count => inner.Count;

        public int BatchSize => inner.BatchSize;

        public AudioBatch NextBatch()
        {
            var b = inner.NextBatch();
            if (Poison) Array.Fill(b.Data, float.NaN);
            return b;
        }

        public BatcherState State => inner.State;

        public void Restore(BatcherState state) => inner.Restore(state);

        public float[] Example(int index, out int label) => inner.Example(index, out label);
    }
}
