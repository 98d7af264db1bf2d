using GanAudio.Kernels;

namespace GanAudio.Tensors.Tests;

/// <summary><see cref="Tensor.FromArrayAhead(float[], int[], Device?)"/>: the same tensor as <see cref="Tensor.FromArray(float[], int[], Device?)"/>
/// once taken, the host array free for reuse at once, no scope owning it before <see cref="PendingTensor.Take"/>, and on
/// CUDA no host synchronisation for the upload. Serial: it reads the global live-tensor count and device counters.</summary>
[Collection(SerialCollection.Name)]
public class UploadAheadTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [MemberData(nameof(Rows))]
    public void TakenTensorEqualsFromArrayAndHostArrayIsFreeAtOnce(string row)
    {
        var dev = DeviceRows.Get(row);
        using var scope = TensorScope.Begin();
        var r = new Random(7);
        var f = Enumerable.Range(0, 3 * 5 * 7).Select(_ => (float)r.NextDouble()).ToArray();
        var want = (float[])f.Clone();
        var before = Devices.Counters(dev);
        var pf = Tensor.FromArrayAhead(f, [3, 5, 7], dev);
        Array.Fill(f, float.NaN);  // the data was copied before FromArrayAhead returned
        Assert.Equal(0, scope.Count);
        var t = pf.Take();
        Assert.Equal(0, (Devices.Counters(dev) - before).HostSyncs);
        Assert.True(pf.IsTaken);
        Assert.Equal(1, scope.Count);
        Assert.Equal(new[] { 3, 5, 7 }, t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(dev, t.Device);
        Assert.Equal(want, t.ToFloatArray());
        Assert.Throws<InvalidOperationException>(() => pf.Take());

        var d = Enumerable.Range(0, 11).Select(i => 1.0 / (i + 3)).ToArray();
        var t64 = Tensor.FromArrayAhead(d, [11], device: dev).Take();
        Assert.Equal(d, t64.ToDoubleArray());
        var t32 = Tensor.FromArrayAhead(d, [11], DType.Float32, dev).Take();
        Assert.Equal(d.Select(v => (float)v), t32.ToFloatArray());
        Assert.Throws<TensorShapeException>(() => Tensor.FromArrayAhead(d, [12], device: dev));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void UntakenPendingTensorIsFreedByDispose(string row)
    {
        var dev = DeviceRows.Get(row);
        long live = Tensor.LiveCount;
        var p = Tensor.FromArrayAhead(new float[1001], [1001], dev);
        Assert.Equal(live + 1, Tensor.LiveCount);
        p.Dispose();
        p.Dispose();
        Assert.Equal(live, Tensor.LiveCount);
        Assert.True(p.IsTaken);
    }
}
