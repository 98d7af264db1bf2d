using TorchSharp;
using static TorchSharp.torch;

namespace GanAudio.Tools.NnFixtures;

/// <summary>The fixtures: fixed inputs and weights (seeded), libtorch's forward outputs and gradients. Each layer's
/// gradients are those of L = Σ y·gy for a fixed upstream gradient gy, so one file holds x, parameters, gy, y, dx, dparams.</summary>
internal static class Fixtures
{
    private const string Origin = "TorchSharp-cpu 0.107.0 (libtorch 2.10), tools/NnFixtures";

    public static void WriteAll(string dir)
    {
        torch.set_num_threads(1);
        torch.manual_seed(20240601);
        Linear(dir);
        Conv1d(dir);
        ConvTranspose1d(dir);
        BatchNorm(dir);
        LeakyRelu(dir);
        Adam(dir, "adam.safetensors", amsgrad: false, weightDecay: 0);
        Adam(dir, "adam_amsgrad_wd.safetensors", amsgrad: true, weightDecay: 0.01);
    }

    private static FixtureWriter Put(this FixtureWriter w, string name, Tensor t)
    {
        using var c = t.detach().contiguous().cpu();
        return c.dtype == ScalarType.Float64 ? w.Add(name, c.data<double>().ToArray(), c.shape) : w.Add(name, c.to_type(ScalarType.Float32).data<float>().ToArray(), c.shape);
    }

    private static Tensor Input(params long[] shape) => randn(shape).requires_grad_();

    private static void Linear(string dir)
    {
        var lin = nn.Linear(6, 5);
        var x = Input(4, 6);
        var y = lin.forward(x);
        var gy = randn(y.shape);
        (y * gy).sum().backward();
        new FixtureWriter().Meta("origin", Origin).Meta("layer", "torch.nn.Linear(6, 5)")
            .Put("x", x).Put("weight", lin.weight!).Put("bias", lin.bias!).Put("gy", gy)
            .Put("y", y).Put("dx", x.grad!).Put("dweight", lin.weight!.grad!).Put("dbias", lin.bias!.grad!)
            .Save(Path.Combine(dir, "linear.safetensors"));
    }

    private static void Conv1d(string dir)
    {
        var conv = nn.Conv1d(3, 4, 25, stride: 4, padding: 11);
        var x = Input(2, 3, 64);
        var y = conv.forward(x);
        var gy = randn(y.shape);
        (y * gy).sum().backward();
        new FixtureWriter().Meta("origin", Origin).Meta("layer", "torch.nn.Conv1d(3, 4, 25, stride=4, padding=11)")
            .Meta("stride", "4").Meta("padding", "11")
            .Put("x", x).Put("weight", conv.weight!).Put("bias", conv.bias!).Put("gy", gy)
            .Put("y", y).Put("dx", x.grad!).Put("dweight", conv.weight!.grad!).Put("dbias", conv.bias!.grad!)
            .Save(Path.Combine(dir, "conv1d.safetensors"));
    }

    private static void ConvTranspose1d(string dir)
    {
        var conv = nn.ConvTranspose1d(4, 3, 25, stride: 4, padding: 11, output_padding: 1);
        var x = Input(2, 4, 16);
        var y = conv.forward(x);
        var gy = randn(y.shape);
        (y * gy).sum().backward();
        new FixtureWriter().Meta("origin", Origin).Meta("layer", "torch.nn.ConvTranspose1d(4, 3, 25, stride=4, padding=11, output_padding=1)")
            .Meta("stride", "4").Meta("padding", "11").Meta("output_padding", "1")
            .Put("x", x).Put("weight", conv.weight!).Put("bias", conv.bias!).Put("gy", gy)
            .Put("y", y).Put("dx", x.grad!).Put("dweight", conv.weight!.grad!).Put("dbias", conv.bias!.grad!)
            .Save(Path.Combine(dir, "conv_transpose1d.safetensors"));
    }

    /// <summary>BatchNorm1d on [B, C, L] and on [B, C]: one training step (output, gradients, updated running
    /// statistics) and then evaluation mode with the updated statistics.</summary>
    private static void BatchNorm(string dir)
    {
        var w = new FixtureWriter().Meta("origin", Origin).Meta("layer", "torch.nn.BatchNorm1d(3, eps=1e-5, momentum=0.1)");
        foreach (var (prefix, shape) in new[] { ("bn3.", new long[] { 4, 3, 20 }), ("bn2.", new long[] { 8, 3 }) })
        {
            var bn = nn.BatchNorm1d(3);
            using (no_grad())
            {
                bn.weight!.copy_(rand(3) + 0.5);
                bn.bias!.copy_(randn(3) * 0.3);
                bn.running_mean!.copy_(randn(3) * 0.2);
                bn.running_var!.copy_(rand(3) + 0.5);
            }
            w.Put(prefix + "weight", bn.weight!).Put(prefix + "bias", bn.bias!)
             .Put(prefix + "running_mean", bn.running_mean!).Put(prefix + "running_var", bn.running_var!);
            var x = (randn(shape) * 1.5 + 0.7).requires_grad_();
            bn.train();
            var y = bn.forward(x);
            var gy = randn(y.shape);
            (y * gy).sum().backward();
            w.Put(prefix + "x", x).Put(prefix + "gy", gy).Put(prefix + "y_train", y).Put(prefix + "dx", x.grad!)
             .Put(prefix + "dweight", bn.weight!.grad!).Put(prefix + "dbias", bn.bias!.grad!)
             .Put(prefix + "running_mean_after", bn.running_mean!).Put(prefix + "running_var_after", bn.running_var!);
            bn.eval();
            var x2 = randn(shape) * 1.2 - 0.3;
            using (no_grad()) w.Put(prefix + "x_eval", x2).Put(prefix + "y_eval", bn.forward(x2));
        }
        w.Save(Path.Combine(dir, "batchnorm1d.safetensors"));
    }

    private static void LeakyRelu(string dir)
    {
        var x0 = randn(3, 5, 20);
        var x = (x0 + x0.sign() * 0.05).requires_grad_(); // keep values away from the kink at 0
        var y = nn.functional.leaky_relu(x, 0.2);
        var gy = randn(y.shape);
        (y * gy).sum().backward();
        new FixtureWriter().Meta("origin", Origin).Meta("layer", "torch.nn.functional.leaky_relu(x, 0.2)").Meta("negative_slope", "0.2")
            .Put("x", x).Put("gy", gy).Put("y", y).Put("dx", x.grad!)
            .Save(Path.Combine(dir, "leaky_relu.safetensors"));
    }

    /// <summary>Ten Adam steps (lr 1e-3, betas (0.5, 0.9)) on a Linear(6, 3) with the loss mean((lin(x) − t)²).</summary>
    private static void Adam(string dir, string file, bool amsgrad, double weightDecay)
    {
        var lin = nn.Linear(6, 3);
        var x = randn(8, 6);
        var t = randn(8, 3);
        var w = new FixtureWriter().Meta("origin", Origin)
            .Meta("optimizer", $"torch.optim.Adam(lr=1e-3, betas=(0.5, 0.9), eps=1e-8, weight_decay={weightDecay}, amsgrad={amsgrad})")
            .Meta("amsgrad", amsgrad ? "true" : "false").Meta("weight_decay", weightDecay.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Put("x", x).Put("target", t).Put("weight0", lin.weight!).Put("bias0", lin.bias!);
        var opt = optim.Adam(lin.parameters(), lr: 1e-3, beta1: 0.5, beta2: 0.9, eps: 1e-8, weight_decay: weightDecay, amsgrad: amsgrad);
        var losses = new float[10];
        for (int step = 0; step < 10; step++)
        {
            opt.zero_grad();
            var loss = (lin.forward(x) - t).square().mean();
            losses[step] = loss.item<float>();
            loss.backward();
            opt.step();
        }
        w.Add("losses", losses, [10]).Put("weight10", lin.weight!).Put("bias10", lin.bias!).Save(Path.Combine(dir, file));
    }
}
