using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

[CollectionDefinition(nameof(LiveCounters), DisableParallelization = true)]
public sealed class LiveCounters;

/// <summary>A WGAN-GP step in a scope leaves no tensors behind (the live counters are global, so this runs alone).</summary>
[Collection(nameof(LiveCounters))]
public sealed class LifetimeTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [MemberData(nameof(Rows))]
    public void WganGpStepsReturnLiveCountersToBaseline(string device)
    {
        var dev = DeviceRows.Get(device);
        var g = new RandomStream(1);
        using var gen = new Sequential(new Linear(4, 2 * 8, gen: g, device: dev), new Reshape(2, 8), new ReLU(),
            new ConvTranspose1d(2, 1, 4, stride: 2, padding: 1, gen: g, device: dev), new Tanh());
        using var critic = new Sequential(new Conv1d(1, 2, 4, stride: 2, padding: 1, gen: g, device: dev), new LeakyReLU(0.2),
            new PhaseShuffle(1, gen: g), new Flatten(), new Linear(2 * 8, 1, gen: g, device: dev));
        using var optG = new Adam(gen.NamedParameters(), 1e-3, 0.5, 0.9);
        using var optD = new Adam(critic.NamedParameters(), 1e-3, 0.5, 0.9);
        using var real = Tensor.Randn([3, 1, 16], g, device: dev);

        void Step()
        {
            using var scope = TensorScope.Begin();
            var z = Tensor.Rand([3, 4], g, -1, 1, device: dev);
            optD.ZeroGrad();
            var fake = gen.Forward(z);
            var lossD = GanLosses.WassersteinCritic(critic.Forward(real), critic.Forward(fake.Detach()))
                + GanLosses.GradientPenalty(critic.Forward, real, fake, 10, g);
            lossD.Backward();
            optD.Step();
            optG.ZeroGrad();
            GanLosses.WassersteinGenerator(critic.Forward(gen.Forward(z))).Backward();
            optG.Step();
        }

        Step(); // gradients now exist (they outlive the scope, like parameters)
        long tensors = Tensor.LiveCount, bytes = Tensor.LiveBytes;
        for (int i = 0; i < 3; i++) Step();
        Assert.Equal(tensors, Tensor.LiveCount);
        Assert.Equal(bytes, Tensor.LiveBytes);
    }
}
