using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;
using GanAudio.Tests.Shared;

namespace GanApp.Tests.Training;

/// <summary>The WaveGAN critic with each conv's bias fused into its leaky ReLU gives the composite's scores and the WGAN-GP
/// loss's parameter gradients (through the double backward): to float rounding on the CPU, bitwise on CUDA (where the
/// composite adds the bias in a kernel of its own, and where the fused form is the default).</summary>
[Collection("cli")]
public class FusedCriticTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private static readonly WaveGanOptions Options = new() { ModelSize = 2, TensorFlowInit = false };  // PyTorch init: non-zero biases

    private static (double[] Score, double[][] Grads) Run(bool? fused, Device dev)
    {
        using var d = new WaveGanDiscriminator(Options, new RandomStream(5), new RandomStream(6), device: dev) { FuseBiasLeakyRelu = fused };
        using var scope = TensorScope.Begin();
        var real = Tensor.Randn([2, 1, Options.Length], new RandomStream(7), std: 0.3, device: dev);
        var fake = Tensor.Randn([2, 1, Options.Length], new RandomStream(8), std: 0.3, device: dev);
        var score = d.Score(real, null);
        var loss = GanLosses.WassersteinCritic(score, d.Score(fake, null)) + GanLosses.GradientPenalty(x => d.Score(x, null), real, fake, 10, new RandomStream(9));
        var gs = Engine.Grad([loss], d.Parameters().ToList());
        return (score.ToDoubleArray(), gs.Select(g => g!.ToDoubleArray()).ToArray());
    }

    [Theory, MemberData(nameof(Rows))]
    public void FusedCriticMatchesComposite(string device)
    {
        var dev = DeviceRows.Get(device);
        var a = Run(false, dev);
        var b = Run(true, dev);
        if (dev.Type == DeviceType.Cuda)
        {
            Assert.Equal(a.Score, b.Score);
            for (int k = 0; k < a.Grads.Length; k++) Assert.Equal(a.Grads[k], b.Grads[k]);
            return;
        }
        for (int i = 0; i < a.Score.Length; i++) Assert.Equal(a.Score[i], b.Score[i], 1e-5 * Math.Max(1, Math.Abs(a.Score[i])));
        for (int k = 0; k < a.Grads.Length; k++)
        {
            double scale = a.Grads[k].Max(Math.Abs) + 1e-12, diff = 0;
            for (int j = 0; j < a.Grads[k].Length; j++) diff = Math.Max(diff, Math.Abs(a.Grads[k][j] - b.Grads[k][j]));
            Assert.True(diff <= 1e-4 * scale, $"parameter {k}: gradients differ by {diff:g3} (scale {scale:g3})");
        }
    }

    /// <summary>The default: composite on the CPU (bitwise the old results), fused on CUDA.</summary>
    [Theory, MemberData(nameof(Rows))]
    public void DefaultIsCompositeOnCpuAndFusedOnCuda(string device)
    {
        var dev = DeviceRows.Get(device);
        var auto = Run(null, dev);
        var want = Run(dev.Type == DeviceType.Cuda, dev);
        Assert.Equal(want.Score, auto.Score);
        for (int k = 0; k < want.Grads.Length; k++) Assert.Equal(want.Grads[k], auto.Grads[k]);
    }

    /// <summary>On CUDA the fused critic forward issues one launch fewer per conv layer (the bias kernel).</summary>
    [Fact]
    public void FusedForwardSavesOneLaunchPerConvOnCuda()
    {
        var dev = DeviceRows.Get("cuda");
        long Launches(bool fused)
        {
            using var d = new WaveGanDiscriminator(Options, new RandomStream(5), new RandomStream(6), device: dev) { FuseBiasLeakyRelu = fused };
            using var scope = TensorScope.Begin();
            using var ng = GradMode.NoGrad();
            var x = Tensor.Randn([2, 1, Options.Length], new RandomStream(7), device: dev);
            d.Score(x, null);  // compiles the kernels outside the count
            var before = Devices.Counters(dev);
            d.Score(x, null);
            return (Devices.Counters(dev) - before).Launches;
        }
        Assert.Equal(Launches(false) - Options.Layers, Launches(true));
    }
}
