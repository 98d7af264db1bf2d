using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanApp.Tests.Training;

/// <summary><c>--gp-every k</c>: the WGAN-GP objective adds the gradient penalty on critic updates 0, k, 2k, … with
/// weight λ·k — the same interpolates (same random stream) as the every-step penalty, k times its value — and nothing
/// on the updates between.</summary>
public class LazyGradientPenaltyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ThePenaltyComesEveryKthUpdateWithKTimesTheWeight(int every)
    {
        using var scope = TensorScope.Begin();
        using var critic = new Linear(6, 1, gen: new RandomStream(3), dtype: DType.Float64);
        var real = Tensor.Randn([4, 6], new RandomStream(4), dtype: DType.Float64);
        var fake = Tensor.Randn([4, 6], new RandomStream(5), dtype: DType.Float64);
        var lazy = new WganGpObjective(10, every);
        for (long update = 0; update < 7; update++)
        {
            var inputs = new CriticInputs(critic.Forward, critic.Forward, real, fake, update, new RandomStream(8));
            var got = lazy.Penalty(inputs);
            if (update % every != 0)
            {
                Assert.Null(got);
                continue;
            }
            double want = every * GanLosses.GradientPenalty(critic.Forward, real, fake, 10, new RandomStream(8)).Item();
            Assert.NotNull(got);
            Assert.Equal(want, got.Item(), 1e-12);
        }
    }
}
