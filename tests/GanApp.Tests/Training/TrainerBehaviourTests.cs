using GanAudio.App.Data;
using GanAudio.App.Models;
using GanAudio.App.Training;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

[Collection("cli")]
public class TrainerBehaviourTests
{
    private static TrainConfig Tiny(int steps = 3) => DemoConfig.Defaults with
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
        var e = Assert.Throws<TrainingDivergedException>(() => t.TrainIteration());
        Assert.Contains("diverged at step 2", e.Message);
        Assert.Equal(1, rf.LatestStep());
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
