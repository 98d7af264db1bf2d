using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

public class OptimizerStateTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [MemberData(nameof(Rows))]
    public void LoadStateRestoresAndRejectsMissingOrMisshapedStateWithoutChangingAnything(string device)
    {
        var dev = DeviceRows.Get(device);
        using var p = Tensor.FromArray(new float[] { 1, 2, 3 }, [3], device: dev);
        using var a = new Adam([("w", p)], lr: 0.1);
        p.Grad = Tensor.FromArray(new float[] { 0.5f, -1, 2 }, [3], device: dev);
        a.Step();
        var saved = a.State.ToDictionary(s => s.Name, s => s.Value);

        using var q = Tensor.FromArray(new float[] { 1, 2, 3 }, [3], device: dev);
        using var b = new Adam([("w", q)], lr: 0.1);
        b.LoadState(saved, a.StepCount);
        Assert.Equal(1, b.StepCount);
        foreach (var (name, t) in b.State) Assert.Equal(saved[name].ToFloatArray(), t.ToFloatArray());

        using var c = new Adam([("w", Tensor.FromArray(new float[] { 1, 2, 3 }, [3], device: dev))], lr: 0.1);
        var wrong = saved.ToDictionary(kv => kv.Key, kv => kv.Key.EndsWith("exp_avg_sq", StringComparison.Ordinal) ? Tensor.Ones([1], device: dev) : kv.Value);
        var e = Assert.Throws<InvalidDataException>(() => c.LoadState(wrong, 1));
        Assert.Contains("wrong shape", e.Message);
        Assert.Contains("[1], expected [3]", e.Message);
        Assert.Equal(0, c.StepCount);
        Assert.All(c.State, s => Assert.Equal(new float[3], s.Value.ToFloatArray())); // untouched, not half-loaded

        var e2 = Assert.Throws<InvalidDataException>(() => c.LoadState(new Dictionary<string, Tensor>(), 1));
        Assert.Contains("missing", e2.Message);
    }
}
