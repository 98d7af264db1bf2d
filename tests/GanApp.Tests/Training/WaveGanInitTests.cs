using GanAudio.App.Models;
using GanAudio.Tensors;

namespace GanApp.Tests.Training;

public class WaveGanInitTests
{
    /// <summary>Share of the output's variance that changes with z (between-latent variance over total).</summary>
    private static double LatentShare(bool tfInit)
    {
        var o = new WaveGanOptions { ModelSize = 8, TensorFlowInit = tfInit };
        using var g = new WaveGanGenerator(o, new RandomStream(3));
        using var scope = TensorScope.Begin();
        using var _ = GanAudio.Tensors.Autograd.GradMode.NoGrad();
        var z = Tensor.Rand([8, 100], new RandomStream(9), -1, 1);
        var y = g.Generate(z, null).ToDoubleArray();
        int len = o.Length;
        double between = 0, total = 0, grand = y.Average();
        for (int t = 0; t < len; t++)
        {
            double m = 0;
            for (int i = 0; i < 8; i++) m += y[i * len + t];
            m /= 8;
            for (int i = 0; i < 8; i++)
            {
                between += (y[i * len + t] - m) * (y[i * len + t] - m);
                total += (y[i * len + t] - grand) * (y[i * len + t] - grand);
            }
        }
        return between / total;
    }

    [Fact]
    public void GeneratorOutputDependsOnZAtInitialisation()
    {
        double tf = LatentShare(true), torch = LatentShare(false);
        Assert.True(tf > 0.3, $"TF init: only {tf:P1} of the output variance depends on z (PyTorch init: {torch:P1})");
    }
}
