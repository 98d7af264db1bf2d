using GanAudio.App.Models;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;
using GanAudio.Tests.Shared;

namespace GanApp.Tests.Training;

/// <summary>The WaveGAN critic with each conv's bias fused into its leaky ReLU (opt-in) gives the composite's scores and
/// the WGAN-GP loss's parameter gradients (through the double backward) to float rounding.</summary>
public class FusedCriticTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private static (double[] Score, double[][] Grads) Run(bool fused, GanAudio.Kernels.Device dev)
    {
        // PyTorch init: non-zero biases, so the fused bias add matters
        var o = new WaveGanOptions { ModelSize = 2, TensorFlowInit = false };
        using var d = new WaveGanDiscriminator(o, new RandomStream(5), new RandomStream(6), device: dev) { FuseBiasLeakyRelu = fused };
        using var scope = TensorScope.Begin();
        var real = Tensor.Randn([2, 1, o.Length], new RandomStream(7), std: 0.3, device: dev);
        var fake = Tensor.Randn([2, 1, o.Length], new RandomStream(8), std: 0.3, device: dev);
        var score = d.Score(real, null);
        var loss = GanLosses.WassersteinCritic(score, d.Score(fake, null)) + GanLosses.GradientPenalty(x => d.Score(x, null), real, fake, 10, new RandomStream(9));
        var ps = d.Parameters().ToList();
        var gs = Engine.Grad([loss], ps);
        return (score.ToDoubleArray(), gs.Select(g => g!.ToDoubleArray()).ToArray());
    }

    [Theory, MemberData(nameof(Rows))]
    public void FusedCriticMatchesComposite(string device)
    {
        var dev = DeviceRows.Get(device);
        var a = Run(false, dev);
        var b = Run(true, dev);
        for (int i = 0; i < a.Score.Length; i++) Assert.Equal(a.Score[i], b.Score[i], 1e-5 * Math.Max(1, Math.Abs(a.Score[i])));
        for (int k = 0; k < a.Grads.Length; k++)
        {
            double scale = a.Grads[k].Max(Math.Abs) + 1e-12, diff = 0;
            for (int j = 0; j < a.Grads[k].Length; j++) diff = Math.Max(diff, Math.Abs(a.Grads[k][j] - b.Grads[k][j]));
            Assert.True(diff <= 1e-4 * scale, $"parameter {k}: gradients differ by {diff:g3} (scale {scale:g3})");
        }
    }
}
