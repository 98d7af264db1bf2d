using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>Learning sanity with Adam in float32: a tiny MLP learns XOR, a tiny conv net fits a 1-D regression.</summary>
public sealed class LearningTests(ITestOutputHelper log)
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [MemberData(nameof(Rows))]
    public void TinyMlpLearnsXor(string device)
    {
        var dev = DeviceRows.Get(device);
        var g = new RandomStream(3);
        using var net = new Sequential(new Linear(2, 8, gen: g, device: dev), new Tanh(), new Linear(8, 1, gen: g, device: dev));
        using var opt = new Adam(net.NamedParameters(), lr: 0.05);
        using var x = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2], device: dev);
        using var y = Tensor.FromArray(new float[] { 0, 1, 1, 0 }, [4, 1], device: dev);
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

    /// <summary>Target: a fixed 5-tap smoothing filter followed by tanh(2·), learnt by conv → tanh → conv. On the CUDA
    /// simulator 300 steps take minutes, so there the first 20 steps are run and must give the CPU's losses (the same
    /// seeded weights and data on both devices; float32 rounding, rtol 1e-3), on the CPU and a real GPU all 300.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void TinyConvNetFitsA1dRegression(string device)
    {
        var dev = DeviceRows.Get(device);
        if (DeviceRows.OnSimulator(dev))
        {
            var cpu = ConvNetLosses(Device.Cpu, 20, out _);
            var sim = ConvNetLosses(dev, 20, out _);
            log.WriteLine($"conv regression MSE over 20 steps: cpu {cpu[0]:F5} -> {cpu[^1]:F5}, cuda {sim[0]:F5} -> {sim[^1]:F5}");
            TestSupport.AssertClose("losses of 20 Adam steps, cuda vs cpu", cpu, sim, 1e-3, 1e-6, log);
            Assert.True(sim[^1] < 0.5 * sim[0], $"MSE {sim[0]} -> {sim[^1]} in 20 steps");
            return;
        }
        var losses = ConvNetLosses(dev, 300, out double variance);
        double first = losses[0], loss = losses[^1];
        log.WriteLine($"conv regression MSE: {first:F4} -> {loss:F5} (target mean square {variance:F4})");
        Assert.True(loss < 0.01, $"regression MSE {loss} after 300 steps (started at {first}, target mean square {variance})");
    }

    private static double[] ConvNetLosses(Device dev, int steps, out double variance)
    {
        var g = new RandomStream(4);
        using var x = Tensor.Randn([16, 1, 32], g, device: dev);
        using var target = MakeTarget(x);
        using var net = new Sequential(
            new Conv1d(1, 6, 5, padding: 2, gen: g, device: dev), new Tanh(),
            new Conv1d(6, 1, 5, padding: 2, gen: g, device: dev));
        using var opt = new Adam(net.NamedParameters(), lr: 0.02);
        variance = target.ToFloatArray().Select(v => (double)v * v).Average();
        var losses = new double[steps];
        for (int step = 0; step < steps; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var l = GanLosses.Mse(net.Forward(x), target);
            losses[step] = l.Item();
            l.Backward();
            opt.Step();
        }
        return losses;
    }

    private static Tensor MakeTarget(Tensor x)
    {
        using var scope = TensorScope.Begin();
        using var w = Tensor.FromArray(new float[] { 0.1f, 0.2f, 0.4f, 0.2f, 0.1f }, [1, 1, 5], x.Device);
        return scope.Release((Tensor.Conv1d(x, w, null, 1, 2) * 2.0).Tanh());
    }
}
