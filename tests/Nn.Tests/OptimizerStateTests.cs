using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

public class OptimizerStateTests
{
    [Fact]
    public void LoadStateRestoresAndRejectsMissingOrMisshapedStateWithoutChangingAnything()
    {
        using var p = Tensor.FromArray(new float[] { 1, 2, 3 }, [3]);
        using var a = new Adam([("w", p)], lr: 0.1);
        p.Grad = Tensor.FromArray(new float[] { 0.5f, -1, 2 }, [3]);
        a.Step();
        var saved = a.State.ToDictionary(s => s.Name, s => s.Value);

        using var q = Tensor.FromArray(new float[] { 1, 2, 3 }, [3]);
        using var b = new Adam([("w", q)], lr: 0.1);
        b.LoadState(saved, a.StepCount);
        Assert.Equal(1, b.StepCount);
        foreach (var (name, t) in b.State) Assert.Equal(saved[name].ToFloatArray(), t.ToFloatArray());

        using var c = new Adam([("w", Tensor.FromArray(new float[] { 1, 2, 3 }, [3]))], lr: 0.1);
        var wrong = saved.ToDictionary(kv => kv.Key, kv => kv.Key.EndsWith("exp_avg_sq", StringComparison.Ordinal) ? Tensor.Ones([1]) : kv.Value);
        var e = Assert.Throws<InvalidDataException>(() => c.LoadState(wrong, 1));
        Assert.Contains("wrong shape", e.Message);
        Assert.Contains("[1], expected [3]", e.Message);
        Assert.Equal(0, c.StepCount);
        Assert.All(c.State, s => Assert.Equal(new float[3], s.Value.ToFloatArray())); // untouched, not half-loaded

        var e2 = Assert.Throws<InvalidDataException>(() => c.LoadState(new Dictionary<string, Tensor>(), 1));
        Assert.Contains("missing", e2.Message);
    }
}
