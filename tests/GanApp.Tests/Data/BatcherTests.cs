using GanAudio.App.Data;

namespace GanApp.Tests.Data;

public class BatcherTests
{
    private static SegmentedDataset Data(SegmentMode mode = SegmentMode.Fixed)
    {
        // 3 clips of 50 samples; clip c's sample i is c*1000 + i, so every example is identifiable
        var clips = Enumerable.Range(0, 3).Select(c => new Clip($"c{c}", c, Enumerable.Range(0, 50).Select(i => (float)(c * 1000 + i)).ToArray())).ToArray();
        return new SegmentedDataset(new AudioDataset(["x", "y", "z"], 100, clips), new DatasetOptions { SegmentLength = 10, Mode = mode, Normalization = Normalization.None });
    }

    [Fact]
    public void BatchesHaveTheDocumentedShapeAndLabels()
    {
        var b = new Batcher(Data(), 4, seed: 1).NextBatch();
        Assert.Equal(4, b.Batch);
        Assert.Equal(10, b.Length);
        Assert.Equal(40, b.Data.Length);
        for (int i = 0; i < 4; i++) Assert.Equal((int)(b.Data[i * 10] / 1000), b.Labels[i]);
    }

    [Fact]
    public void EachEpochVisitsEveryExampleOnceAndBatchesRunOnAcrossEpochs()
    {
        var batcher = new Batcher(Data(), 4, seed: 3);
        var firsts = new List<float>();
        for (int k = 0; k < 15; k++) { var b = batcher.NextBatch(); for (int i = 0; i < 4; i++) firsts.Add(b.Data[i * 10]); }
        Assert.Equal(new BatcherState(4, 0), batcher.State); // 60 examples = 4 whole epochs of 15
        for (int e = 0; e < 4; e++) Assert.Equal(15, firsts.Skip(e * 15).Take(15).Distinct().Count());
        Assert.NotEqual(firsts.Take(15), firsts.Skip(15).Take(15)); // reshuffled per epoch
        Assert.Equal(4, batcher.BatchesPerEpoch);
    }

    [Theory]
    [InlineData(SegmentMode.Fixed)]
    [InlineData(SegmentMode.RandomCrop)]
    public void SameSeedSameBatchesAndRestoredStateResumesExactly(SegmentMode mode)
    {
        var a = new Batcher(Data(mode), 4, seed: 9);
        for (int i = 0; i < 5; i++) a.NextBatch();
        var saved = a.State;
        var expected = Enumerable.Range(0, 6).Select(_ => a.NextBatch()).ToList();

        var b = new Batcher(Data(mode), 4, seed: 9, saved);
        foreach (var e in expected) Assert.Equal(e.Data, b.NextBatch().Data);
        var c = new Batcher(Data(mode), 4, seed: 9);
        c.Restore(saved);
        Assert.Equal(expected[0].Labels, c.NextBatch().Labels);

        var fresh1 = new Batcher(Data(mode), 4, seed: 9).NextBatch();
        var fresh2 = new Batcher(Data(mode), 4, seed: 10).NextBatch();
        Assert.Equal(fresh1.Data, new Batcher(Data(mode), 4, seed: 9).NextBatch().Data);
        Assert.NotEqual(fresh1.Data, fresh2.Data);
    }

    [Fact]
    public void RandomCropsChangeBetweenEpochs()
    {
        var batcher = new Batcher(Data(SegmentMode.RandomCrop), 15, seed: 2, shuffle: false);
        var e0 = batcher.NextBatch().Data;
        var e1 = batcher.NextBatch().Data;
        Assert.NotEqual(e0, e1);
    }

    [Fact]
    public void BadStateOrBatchSizeIsAClearError()
    {
        Assert.Throws<DatasetException>(() => new Batcher(Data(), 0, 1));
        Assert.Contains("does not fit", Assert.Throws<DatasetException>(() => new Batcher(Data(), 4, 1, new BatcherState(0, 99))).Message);
    }
}
