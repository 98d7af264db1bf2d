using GanAudio.App.Evaluation;
using GanAudio.App.Training;

namespace GanApp.Tests.Training;

public class DemoDataTests
{
    [Fact]
    public void DemoBatchesMixPitchesAndEachExampleSoundsAtItsLabelsPitch()
    {
        var cfg = DemoConfig.Defaults;
        var data = DataFactory.Create(cfg, TextWriter.Null);
        Assert.Equal(8, data.ClassNames.Count);
        var labels = new HashSet<int>();
        for (int b = 0; b < 4; b++)
        {
            var (x, l, _, _) = data.NextBatch();
            Assert.Equal(cfg.Batch * cfg.Length, x.Length);
            for (int i = 0; i < cfg.Batch; i++)
            {
                labels.Add(l[i]);
                double f = PitchMetrics.DominantFrequency(x.AsSpan(i * cfg.Length, cfg.Length), data.SampleRate);
                double want = GanAudio.App.Data.ToneSynth.Pitches[l[i]];
                Assert.True(Math.Abs(f - want) / want < 0.03, $"example {i} of batch {b}: label {l[i]} ({want} Hz) but dominant {f:F1} Hz");
                float peak = 0;
                for (int k = 0; k < cfg.Length; k++) peak = Math.Max(peak, Math.Abs(x[i * cfg.Length + k]));
                Assert.InRange(peak, 0.5f, 1.0001f);
            }
        }
        Assert.True(labels.Count >= 6, $"only {labels.Count} pitches in 64 examples");
    }
}
