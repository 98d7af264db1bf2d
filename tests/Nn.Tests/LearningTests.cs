using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>Learning sanity with Adam in float32: a tiny MLP learns XOR, a tiny conv net fits a 1-D regression.</summary>
public sealed class LearningTests(ITestOutputHelper log)
{
    [Fact]
    public void TinyMlpLearnsXor()
    {
        var g = new RandomStream(3);
        using var net = new Sequential(new Linear(2, 8, gen: g), new Tanh(), new Linear(8, 1, gen: g));
        using var opt = new Adam(net.NamedParameters(), lr: 0.05);
        using var x = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        using var y = Tensor.FromArray(new float[] { 0, 1, 1, 0 }, [4, 1]);
        double first = double.NaN, loss = double.NaN;
        for (int step = 0; step < 300; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var l = GanLosses.BceWithLogits(net.Forward(x), y);
            loss = l.Item();
            if (step == 0) first = loss;
            l.Backward();
            opt.Step();
        }
        log.WriteLine($"XOR BCE: {first:F4} -> {loss:F5}");
        Assert.True(loss < 0.05, $"XOR loss {loss} after 300 steps (started at {first})");
        using var s = TensorScope.Begin();
        var logits = net.Forward(x).ToFloatArray();
        Assert.Equal(new[] { false, true, true, false }, logits.Select(v => v > 0).ToArray());
    }

    /// <summary>Target: a fixed 5-tap smoothing filter followed by tanh(2·), learnt by conv → tanh → conv.</summary>
    [Fact]
    public void TinyConvNetFitsA1dRegression()
    {
        var g = new RandomStream(4);
        using var x = Tensor.Randn([16, 1, 32], g);
        using var target = MakeTarget(x);
        using var net = new Sequential(
            new Conv1d(1, 6, 5, padding: 2, gen: g), new Tanh(),
            new Conv1d(6, 1, 5, padding: 2, gen: g));
        using var opt = new Adam(net.NamedParameters(), lr: 0.02);
        double first = double.NaN, loss = double.NaN;
        double variance = target.ToFloatArray().Select(v => (double)v * v).Average();
        for (int step = 0; step < 300; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var l = GanLosses.Mse(net.Forward(x), target);
            loss = l.Item();
            if (step == 0) first = loss;
            l.Backward();
            opt.Step();
        }
        log.WriteLine($"conv regression MSE: {first:F4} -> {loss:F5} (target mean square {variance:F4})");
        Assert.True(loss < 0.01, $"regression MSE {loss} after 300 steps (started at {first}, target mean square {variance})");
    }

    private static Tensor MakeTarget(Tensor x)
    {
        using var scope = TensorScope.Begin();
        using var w = Tensor.FromArray(new float[] { 0.1f, 0.2f, 0.4f, 0.2f, 0.1f }, [1, 1, 5]);
        return scope.Release((Tensor.Conv1d(x, w, null, 1, 2) * 2.0).Tanh());
    }
}
