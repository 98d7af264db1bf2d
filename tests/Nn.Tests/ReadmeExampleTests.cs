using GanAudio.Nn.Checkpoints;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Nn.Tests;

/// <summary>The README's library example, verbatim, so it keeps compiling and running.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExampleRuns()
    {
        var path = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.safetensors");
        var net = new Sequential(new Conv1d(1, 16, 25, stride: 4, padding: 11), new LeakyReLU(0.2), new Flatten(), new Linear(16 * 256, 1));
        var opt = new Adam(net.NamedParameters(), lr: 1e-4, beta1: 0.5, beta2: 0.9);
        using (var scope = TensorScope.Begin())
        {
            var x = Tensor.Randn([8, 1, 1024]).RequireGrad();
            var score = net.Forward(x);
            var g = Engine.Grad([score.Sum()], [x], createGraph: true)[0]!;
            var gp = (g.SumSquares([1, 2]).Sqrt() - 1.0).Square().Mean();
            opt.ZeroGrad();
            (score.Mean() + gp * 10.0).Backward();
            opt.Step();
        }
        Safetensors.Save(path, net.StateDict());
        var (loaded, _) = Safetensors.Load(path);
        Assert.Equal(4, loaded.Count);
        foreach (var t in loaded.Values) t.Dispose();
        File.Delete(path);
        net.Dispose();
        opt.Dispose();
    }
}
