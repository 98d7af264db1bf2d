using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanApp.Tests.Training;

/// <summary>What the training step's forward passes hold (issue #14: the paper-default GTZAN run must fit in 8 GB). In a
/// <see cref="GraphScope"/>, as the trainer runs them, WaveGAN's critic keeps two activations per layer (the conv's
/// output, read by the leaky ReLU's rule, and the phase shuffle's, read by the next conv's; the leaky ReLU's output is
/// freed), the generator's no-grad pass only its output, and the WGAN-GP loss's gradients are those without scopes, bit
/// for bit. Bytes are the CPU pool's (<see cref="Devices.Memory"/>), whose size classes are exact at these sizes.</summary>
[Collection("cli")]
public class StepMemoryTests
{
    private static readonly WaveGanOptions Options = new() { ModelSize = 4 };
    private const int Batch = 2;

    /// <summary>Σ over the critic's layers of the bytes of one [B, C, L] float32 activation.</summary>
    private static long ActivationBytes()
    {
        long sum = 0;
        int len = Options.Length;
        for (int i = 0; i < Options.Layers; i++)
        {
            len /= 4;
            sum += 4L * Batch * (Options.ModelSize << i) * len;
        }
        return sum;
    }

    [Fact]
    public void CriticForwardHoldsTwoActivationsPerLayer()
    {
        var dev = Device.Cpu;
        using var d = new WaveGanDiscriminator(Options, new RandomStream(1), new RandomStream(2), device: dev);
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([Batch, 1, Options.Length], new RandomStream(3), std: 0.3, device: dev);
        long bound = 2 * ActivationBytes() + 64 * 1024;  // + the linear head's small tensors

        long live = Devices.Memory(dev).LiveBytes;
        var plain = d.Score(x, null);
        long unscoped = Devices.Memory(dev).LiveBytes - live;
        // the bound tells the two apart: the step's scope alone keeps three activations per shuffled layer
        Assert.True(unscoped > bound, $"without a graph scope the forward holds {unscoped} bytes, within the bound {bound}");

        live = Devices.Memory(dev).LiveBytes;
        var scoped = GraphScope.Run(() => d.Score(x, null));
        long held = Devices.Memory(dev).LiveBytes - live;
        Assert.True(held <= bound, $"the scoped forward holds {held} bytes, above two activations per layer ({bound})");
        Assert.True(held >= 2 * ActivationBytes() - 4L * Batch * (Options.ModelSize << (Options.Layers - 1)) * 16, $"held {held}: the graph lost tensors it reads");
    }

    [Fact]
    public void NoGradGeneratorKeepsOnlyItsOutput()
    {
        var dev = Device.Cpu;
        using var g = new WaveGanGenerator(Options, new RandomStream(4), device: dev);
        using var scope = TensorScope.Begin();
        var z = Tensor.Rand([Batch, Options.LatentDim], new RandomStream(5), -1, 1, DType.Float32, dev);
        long count = Tensor.LiveCount, live = Devices.Memory(dev).LiveBytes;
        Tensor fake;
        using (GradMode.NoGrad()) fake = GraphScope.Run(() => g.Generate(z, null));
        Assert.Equal(count + 1, Tensor.LiveCount);
        Assert.Equal(live + 4L * Batch * Options.Length, Devices.Memory(dev).LiveBytes);
        Assert.Equal([Batch, 1, Options.Length], fake.Shape);
    }

    [Fact]
    public void ScopedCriticLossHasTheSameGradients()
    {
        double[][] Run(bool scoped)
        {
            using var d = new WaveGanDiscriminator(Options, new RandomStream(6), new RandomStream(7));
            using var scope = TensorScope.Begin();
            var real = Tensor.Randn([Batch, 1, Options.Length], new RandomStream(8), std: 0.3);
            var fake = Tensor.Randn([Batch, 1, Options.Length], new RandomStream(9), std: 0.3);
            Tensor Score(Tensor v) => scoped ? GraphScope.Run(() => d.Score(v, null)) : d.Score(v, null);
            var loss = GanLosses.WassersteinCritic(Score(real), Score(fake)) + GanLosses.GradientPenalty(Score, real, fake, 10, new RandomStream(10));
            loss.Backward();
            var grads = d.Parameters().Select(p => p.Grad!.ToDoubleArray()).ToArray();
            foreach (var p in d.Parameters())
            {
                p.Grad!.Dispose();
                p.Grad = null;
            }
            return grads;
        }
        var a = Run(false);
        var b = Run(true);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
    }
}
