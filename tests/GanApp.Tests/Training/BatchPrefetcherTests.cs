using GanAudio.App.Data;
using GanAudio.App.Training;
using GanAudio.Tensors;
using GanAudio.Tests.Shared;

namespace GanApp.Tests.Training;

/// <summary>The trainer's <see cref="BatchPrefetcher"/> gives exactly the batches, in exactly the order, of the data
/// without it, on the CPU and CUDA rows, reading ahead or not; the data's state stays "before the next batch taken" (what
/// checkpoints save), and moving the data (a restored checkpoint) drops the read-ahead batch.</summary>
public class BatchPrefetcherTests
{
    public static TheoryData<string, bool> Rows => DeviceRows.With([false, true]);

    private static Batcher Data(ulong seed = 9)
    {
        // 3 clips of 50 samples; clip c's sample i is c*1000 + i; random crops of 10 depend on (seed, epoch, position)
        var clips = Enumerable.Range(0, 3).Select(c => new Clip($"c{c}", c, Enumerable.Range(0, 50).Select(i => (float)(c * 1000 + i)).ToArray())).ToArray();
        var seg = new SegmentedDataset(new AudioDataset(["x", "y", "z"], 100, clips),
            new DatasetOptions { SegmentLength = 10, Mode = SegmentMode.RandomCrop, Normalization = Normalization.None });
        return new Batcher(seg, 4, seed);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SameBatchesInTheSameOrderAsWithoutIt(string row, bool readAhead)
    {
        var dev = DeviceRows.Get(row);
        var data = Data();
        var plain = Data();
        using var pf = new BatchPrefetcher(data, dev, readAhead);
        for (int k = 0; k < 9; k++)  // 36 examples: over two epoch boundaries (15 per epoch)
        {
            using var scope = TensorScope.Begin();
            var (batch, real) = pf.Next();
            var want = plain.NextBatch();
            Assert.Equal(want.Labels, batch.Labels);
            Assert.Equal(want.Data, batch.Data);
            Assert.Equal(new[] { 4, 1, 10 }, real.Shape);
            Assert.Equal(dev, real.Device);
            Assert.Equal(want.Data, real.ToFloatArray());
            Assert.Equal(plain.State, data.State);
            Assert.Equal(readAhead, pf.HasPending);
            Assert.Equal(1, scope.Count);
        }
        using var cpuDefault = new BatchPrefetcher(Data(), GanAudio.Kernels.Device.Cpu);
        using (TensorScope.Begin()) cpuDefault.Next();
        Assert.False(cpuDefault.HasPending);  // on the CPU there is nothing to overlap: no read-ahead by default
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RestoringTheDataDropsTheReadAheadBatch(string row, bool readAhead)
    {
        var dev = DeviceRows.Get(row);
        var data = Data(seed: 4);
        using var pf = new BatchPrefetcher(data, dev, readAhead);
        using var scope = TensorScope.Begin();
        pf.Next();
        var saved = data.State;
        pf.Next();
        pf.Next();
        data.Restore(saved);  // as a checkpoint load does
        var (batch, real) = pf.Next();
        var want = Data(seed: 4);
        want.Restore(saved);
        var w = want.NextBatch();
        Assert.Equal(w.Data, batch.Data);
        Assert.Equal(w.Data, real.ToFloatArray());
        Assert.Equal(want.State, data.State);
        pf.Dispose();
        Assert.False(pf.HasPending);
    }
}
