using GanAudio.App.Audio;
using GanAudio.App.Data;

namespace GanApp.Tests.Data;

public class ToneSynthTests
{
    private static double Magnitude(float[] x, double f, int rate)
    {
        double re = 0, im = 0;
        for (int n = 0; n < x.Length; n++)
        {
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / (x.Length - 1));
            re += w * x[n] * Math.Cos(2 * Math.PI * f * n / rate);
            im += w * x[n] * Math.Sin(2 * Math.PI * f * n / rate);
        }
        return Math.Sqrt(re * re + im * im);
    }

    [Fact]
    public void SeededClipsAtKnownPitchesWithTheFundamentalStrongest()
    {
        var o = new ToneSynthOptions { ClipsPerPitch = 4, Seed = 5 };
        var clips = ToneSynth.Generate(o);
        Assert.Equal(32, clips.Count);
        Assert.Equal(clips.Select(c => c.Samples), ToneSynth.Generate(o).Select(c => c.Samples));
        Assert.NotEqual(clips[0].Samples, ToneSynth.Generate(o with { Seed = 6 })[0].Samples);
        Assert.Equal(ToneSynth.Timbres.Count, clips.Select(c => c.Parameters.Timbre).Distinct().Count());
        foreach (var c in clips)
        {
            Assert.Equal(16384, c.Samples.Length);
            Assert.InRange(c.Samples.Max(v => Math.Abs(v)), 0.49f, 0.91f);
            Assert.Equal(0f, c.Samples[^1]);
            double f0 = Magnitude(c.Samples, c.Frequency, 16000);
            for (int k = 2; k <= 6; k++) Assert.True(Magnitude(c.Samples, k * c.Frequency, 16000) < f0, $"{c.Name} harmonic {k}");
            foreach (var other in ToneSynth.Pitches.Where(p => Enumerable.Range(1, 10).All(k => Math.Abs(p - k * c.Frequency) > 10)))
                Assert.True(Magnitude(c.Samples, other, 16000) < f0 / 5, $"{c.Name} vs {other} Hz");
        }
    }

    [Fact]
    public void InMemoryDatasetHasPitchLabelsInAscendingOrder()
    {
        var ds = ToneSynth.GenerateDataset(new ToneSynthOptions { ClipsPerPitch = 2 });
        Assert.Equal(["p130.81hz", "p196.00hz", "p261.63hz", "p329.63hz", "p392.00hz", "p523.25hz", "p659.26hz", "p880.00hz"], ds.Genres);
        Assert.Equal(16000, ds.SampleRate);
        Assert.Equal([0, 0, 1, 1], ds.Clips.Take(4).Select(c => c.Label));
        var batch = new Batcher(new SegmentedDataset(ds, new DatasetOptions()), 8, 1).NextBatch();
        Assert.Equal(8 * 16384, batch.Data.Length);
    }

    [Fact]
    public void WrittenInGtzanLayoutAndLoadsBack()
    {
        using var d = new TempDir();
        int n = ToneSynth.Write(d.Path, new ToneSynthOptions { ClipsPerPitch = 2 });
        Assert.Equal(16, n);
        Assert.True(File.Exists(d["genres_original/p880.00hz/p880.00hz.00001.wav"]));
        Assert.Equal(17, File.ReadAllLines(d["labels.csv"]).Length);
        var ds = AudioDataset.Load(d.Path, new DatasetOptions { UseCache = false });
        Assert.Equal(ToneSynth.PitchNames, ds.Genres);
        Assert.Equal(16, ds.Clips.Count);
        var mem = ToneSynth.Generate(new ToneSynthOptions { ClipsPerPitch = 2 });
        Assert.Equal(WavWriter.ToPcm16(mem[3].Samples[5000]) / 32768f, ds.Clips[3].Samples[5000]);
    }
}
