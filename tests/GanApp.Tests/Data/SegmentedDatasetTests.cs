using GanAudio.App.Data;

namespace GanApp.Tests.Data;

public class SegmentedDatasetTests
{
    private static AudioDataset Dataset(params float[][] clips) =>
        new(["a", "b"], 100, clips.Select((c, i) => new Clip($"c{i}", i % 2, c)).ToArray());

    private static float[] Ramp(int n, float scale = 1) => Enumerable.Range(0, n).Select(i => scale * (i + 1) / n).ToArray();

    private static float[] Example(SegmentedDataset s, int item, ulong key = 0)
    {
        var x = new float[s.Length];
        s.Fill(item, key, x);
        return x;
    }

    [Theory]
    [InlineData(25, 10, null, LastSegment.Pad, 3)]
    [InlineData(25, 10, null, LastSegment.Drop, 2)]
    [InlineData(30, 10, null, LastSegment.Pad, 3)]
    [InlineData(25, 10, 5, LastSegment.Pad, 4)]  // 0,5,10,15 (covers to 25)
    [InlineData(26, 10, 5, LastSegment.Pad, 5)]  // 0,5,10,15 + padded 20
    [InlineData(7, 10, null, LastSegment.Pad, 1)]
    [InlineData(7, 10, null, LastSegment.Drop, 0)]
    public void FixedSegmentCounts(int clip, int length, int? hop, LastSegment last, int expected)
    {
        if (expected == 0)
        {
            Assert.Throws<DatasetException>(() => new SegmentedDataset(Dataset(Ramp(clip)), new DatasetOptions { SegmentLength = length, Last = last }));
            return;
        }
        var s = new SegmentedDataset(Dataset(Ramp(clip)), new DatasetOptions { SegmentLength = length, Hop = hop, Last = last, Normalization = Normalization.None });
        Assert.Equal(expected, s.Count);
    }

    [Fact]
    public void SegmentsCopyTheRightSamplesAndPadWithZeros()
    {
        var s = new SegmentedDataset(Dataset(Ramp(25, 0.5f)), new DatasetOptions { SegmentLength = 10, Normalization = Normalization.None });
        Assert.Equal(Ramp(25, 0.5f)[10..20], Example(s, 1));
        var last = Example(s, 2);
        Assert.Equal(Ramp(25, 0.5f)[20..], last[..5]);
        Assert.All(last[5..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void PeakNormalisationScalesEachClipToOne()
    {
        var s = new SegmentedDataset(Dataset(Ramp(10, 0.25f), Ramp(10, -4f)), new DatasetOptions { SegmentLength = 10 });
        Assert.Equal(1f, Example(s, 0).Max(), 6);
        Assert.Equal(-1f, Example(s, 1).Min(), 6);
    }

    [Theory]
    [InlineData(ZScoreScope.Clip)]
    [InlineData(ZScoreScope.Dataset)]
    public void ZScoreGivesMeanZeroStdOne(ZScoreScope scope)
    {
        var s = new SegmentedDataset(Dataset(Ramp(10, 3f), Ramp(10, 0.1f)), new DatasetOptions { SegmentLength = 10, Normalization = Normalization.ZScore, ZScoreScope = scope });
        var all = Example(s, 0).Concat(Example(s, 1)).ToArray();
        if (scope == ZScoreScope.Dataset)
        {
            Assert.Equal(0, all.Average(), 5);
            Assert.Equal(1, Math.Sqrt(all.Average(v => v * v)), 5);
        }
        else
            foreach (var x in new[] { Example(s, 0), Example(s, 1) })
            {
                Assert.Equal(0, x.Average(), 5);
                Assert.Equal(1, Math.Sqrt(x.Average(v => v * v)), 5);
            }
    }

    [Fact]
    public void NearSilentSegmentsAreDroppedMeasuredBeforeNormalisation()
    {
        var clip = new float[40];
        for (int i = 0; i < 10; i++) clip[i] = 0.5f;            // loud
        for (int i = 20; i < 30; i++) clip[i] = 0.0001f;        // -80 dBFS
        var s = new SegmentedDataset(Dataset(clip), new DatasetOptions { SegmentLength = 10, SilenceThresholdDb = -50 });
        Assert.Equal(1, s.Count);
        var none = Assert.Throws<DatasetException>(() => new SegmentedDataset(Dataset(new float[40]), new DatasetOptions { SegmentLength = 10, SilenceThresholdDb = -50 }));
        Assert.Contains("near-silent", none.Message);
    }

    [Fact]
    public void RandomCropsGiveFloorLengthOverSegmentPerClipAndDependOnTheKey()
    {
        var s = new SegmentedDataset(Dataset(Ramp(1000), Ramp(25)), new DatasetOptions { SegmentLength = 10, Mode = SegmentMode.RandomCrop, Normalization = Normalization.None });
        Assert.Equal(100 + 2, s.Count);
        Assert.Equal(Example(s, 0, 42), Example(s, 0, 42));
        Assert.NotEqual(Example(s, 0, 42), Example(s, 0, 43));
        var x = Example(s, 5, 7);
        for (int i = 1; i < 10; i++) Assert.Equal(x[0] + i / 1000f, x[i], 5); // a contiguous window of the ramp
    }
}
