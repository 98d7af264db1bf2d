using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using static GanAudio.Nn.Tests.TestSupport;

namespace GanAudio.Nn.Tests;

/// <summary>Forward outputs and gradients against libtorch fixtures (tools/NnFixtures), float32, rtol 1e-5, on every
/// device row (the fixtures are loaded onto the row's device).
/// Each fixture's gradients are those of L = Σ y·gy.</summary>
public sealed class ParityTests(ITestOutputHelper log) : IDisposable
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private const double Rtol = 1e-5, Atol = 1e-6;
    private readonly TensorScope scope = TensorScope.Begin();

    public void Dispose()
    {
        scope.Dispose();
    }

    private void CheckLayer(Device dev, string file, Module layer, bool hasBias = true)
    {
        var f = LoadFixture(file, dev);
        layer.LoadStateDict(hasBias ? WithPrefix(f, "", "weight", "bias") : WithPrefix(f, "", "weight"));
        var x = f["x"].RequireGrad();
        var y = layer.Forward(x);
        AssertClose($"{file} y", f["y"], y, Rtol, Atol, log);
        (y * f["gy"]).Sum().Backward();
        AssertClose($"{file} dx", f["dx"], x.Grad!, Rtol, Atol, log);
        var named = layer.NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        AssertClose($"{file} dweight", f["dweight"], named["weight"].Grad!, Rtol, Atol, log);
        if (hasBias) AssertClose($"{file} dbias", f["dbias"], named["bias"].Grad!, Rtol, Atol, log);
        layer.Dispose();
        foreach (var t in f.Values) t.Dispose();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LinearMatchesLibtorch(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "linear.safetensors", new Linear(6, 5, gen: new RandomStream(1), device: dev));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Conv1dMatchesLibtorch(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "conv1d.safetensors", new Conv1d(3, 4, 25, stride: 4, padding: 11, gen: new RandomStream(1), device: dev));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ConvTranspose1dMatchesLibtorch(string device)
    {
        var dev = DeviceRows.Get(device);
        CheckLayer(dev, "conv_transpose1d.safetensors", new ConvTranspose1d(4, 3, 25, stride: 4, padding: 11, outputPadding: 1, gen: new RandomStream(1), device: dev));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LeakyReluMatchesLibtorch(string device)
    {
        var dev = DeviceRows.Get(device);
        var f = LoadFixture("leaky_relu.safetensors", dev);
        var x = f["x"].RequireGrad();
        var y = new LeakyReLU(0.2).Forward(x);
        AssertClose("leaky_relu y", f["y"], y, Rtol, Atol, log);
        (y * f["gy"]).Sum().Backward();
        AssertClose("leaky_relu dx", f["dx"], x.Grad!, Rtol, Atol, log);
        foreach (var t in f.Values) t.Dispose();
    }

    [Theory]
    [InlineData("cpu", "bn3.")]
    [InlineData("cpu", "bn2.")]
    [InlineData("cuda", "bn3.")]
    [InlineData("cuda", "bn2.")]
    public void BatchNorm1dMatchesLibtorchInTrainAndEval(string device, string prefix)
    {
        var dev = DeviceRows.Get(device);
        var f = LoadFixture("batchnorm1d.safetensors", dev);
        using var bn = new BatchNorm1d(3, device: dev);
        bn.LoadStateDict(WithPrefix(f, prefix, "weight", "bias", "running_mean", "running_var"));
        bn.Train();
        var x = f[prefix + "x"].RequireGrad();
        var y = bn.Forward(x);
        AssertClose(prefix + "y_train", f[prefix + "y_train"], y, Rtol, Atol, log);
        (y * f[prefix + "gy"]).Sum().Backward();
        AssertClose(prefix + "dx", f[prefix + "dx"], x.Grad!, Rtol, Atol, log);
        AssertClose(prefix + "dweight", f[prefix + "dweight"], bn.Weight!.Grad!, Rtol, Atol, log);
        AssertClose(prefix + "dbias", f[prefix + "dbias"], bn.Bias!.Grad!, Rtol, Atol, log);
        AssertClose(prefix + "running_mean", f[prefix + "running_mean_after"], bn.RunningMean, Rtol, Atol, log);
        AssertClose(prefix + "running_var", f[prefix + "running_var_after"], bn.RunningVar, Rtol, Atol, log);
        bn.Eval();
        var yEval = bn.Forward(f[prefix + "x_eval"]);
        AssertClose(prefix + "y_eval", f[prefix + "y_eval"], yEval, Rtol, Atol, log);
        foreach (var t in f.Values) t.Dispose();
    }

    [Theory]
    [InlineData("cpu", "adam.safetensors", false, 0.0)]
    [InlineData("cpu", "adam_amsgrad_wd.safetensors", true, 0.01)]
    [InlineData("cuda", "adam.safetensors", false, 0.0)]
    [InlineData("cuda", "adam_amsgrad_wd.safetensors", true, 0.01)]
    public void TenAdamStepsMatchLibtorch(string device, string file, bool amsgrad, double weightDecay)
    {
        var dev = DeviceRows.Get(device);
        var f = LoadFixture(file, dev);
        using var lin = new Linear(6, 3, gen: new RandomStream(1), device: dev);
        lin.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = f["weight0"], ["bias"] = f["bias0"] });
        using var opt = new Adam(lin.NamedParameters(), lr: 1e-3, beta1: 0.5, beta2: 0.9, eps: 1e-8, weightDecay: weightDecay, amsgrad: amsgrad);
        var losses = new double[10];
        for (int step = 0; step < 10; step++)
        {
            using var s = TensorScope.Begin();
            opt.ZeroGrad();
            var loss = GanLosses.Mse(lin.Forward(f["x"]), f["target"]);
            losses[step] = loss.Item();
            loss.Backward();
            opt.Step();
        }
        Assert.Equal(10, opt.StepCount);
        AssertClose($"{file} losses", f["losses"].ToDoubleArray(), losses, Rtol, Atol, log);
        AssertClose($"{file} weight after 10 steps", f["weight10"], lin.Weight, Rtol, Atol, log);
        AssertClose($"{file} bias after 10 steps", f["bias10"], lin.Bias!, Rtol, Atol, log);
        // the updates themselves (about 1e-2) must match too, not only the parameters they are added to
        AssertClose($"{file} weight update", (f["weight10"] - f["weight0"]).ToDoubleArray(), (lin.Weight - f["weight0"]).ToDoubleArray(), 1e-3, 1e-7, log);
        AssertClose($"{file} bias update", (f["bias10"] - f["bias0"]).ToDoubleArray(), (lin.Bias! - f["bias0"]).ToDoubleArray(), 1e-3, 1e-7, log);
        foreach (var t in f.Values) t.Dispose();
    }
}
