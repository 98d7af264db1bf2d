using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>WGAN-GP: the gradient penalty differentiates a gradient, so Grad(gp, parameters) is a second-order
/// gradient. It is checked against central differences of gp in float64.</summary>
public class SecondOrderTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    /// <summary>Critic D = conv1d(k25, s4, p11) → leaky_relu(0.2) → conv1d → flatten → linear (MatMul + bias).
    /// p = [w1 [4,1,25], b1 [4], w2 [4,4,9], b2 [4], wl [32,1], bl [1]]; x [B, 1, 64] → [B, 1].</summary>
    private static Tensor Critic(Tensor x, Tensor[] p)
    {
        var h = Tensor.Conv1d(x, p[0], p[1], 4, 11).LeakyRelu(0.2); // [B, 4, 16]
        h = Tensor.Conv1d(h, p[2], p[3], 2, 4);                      // [B, 4, 8]
        return h.Flatten(1).MatMul(p[4]) + p[5];                      // [B, 1]
    }

    private static GradInput[] CriticParams(Inputs r) =>
        [r.U([4, 1, 25], -0.3, 0.3), r.U([4], -0.1, 0.1), r.U([4, 4, 9], -0.3, 0.3), r.U([4], -0.1, 0.1), r.U([32, 1], -0.5, 0.5), r.U([1])];

    /// <summary>gp = mean over examples of (‖∂ΣD(x)/∂x‖₂ − 1)², the gradient recorded with createGraph.</summary>
    private static Tensor Penalty(Tensor x, Func<Tensor, Tensor> d)
    {
        var g = Engine.Grad(d(x).Sum(), x, createGraph: true)!;
        var norm = g.SumSquares([1, 2]).Sqrt();
        return (norm - 1.0).Square().Mean();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyOfConvCriticMatchesFiniteDifferences(string device)
    {
        var dev = DeviceRows.Get(device);
        var r = new Inputs(11);
        var x = r.U([2, 1, 64]);
        var inputs = CriticParams(r);
        GradCheck.Check("WGAN-GP critic", p =>
        {
            var xt = Tensor.FromArray(x.Data, x.Shape, device: dev).RequireGrad();
            return Penalty(xt, t => Critic(t, p));
        }, inputs, maxCoords: 60, device: dev);
    }

    /// <summary>The penalty on interpolates between real audio and a generator's output, where the generator is a
    /// conv_transpose1d (k25, s4, p11, output padding 1) → tanh. Both networks' parameters are checked, and the input
    /// of the critic is a recorded function of the generator, so the second-order pass goes through conv_transpose1d.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyThroughConvTransposeGeneratorMatchesFiniteDifferences(string device)
    {
        var dev = DeviceRows.Get(device);
        var r = new Inputs(12);
        var real = r.U([2, 1, 64]);
        var z = r.U([2, 3, 16]);
        var eps = new[] { 0.3, 0.8 };
        var inputs = CriticParams(r).Concat([r.U([3, 1, 25], -0.3, 0.3), r.U([1], -0.1, 0.1)]).ToArray();
        GradCheck.Check("WGAN-GP through generator", p =>
        {
            var fake = Tensor.ConvTranspose1d(Tensor.FromArray(z.Data, z.Shape, device: dev), p[6], p[7], 4, 11, 1).Tanh(); // [2, 1, 64]
            var e = Tensor.FromArray(eps, [2, 1, 1], device: dev);
            var xr = Tensor.FromArray(real.Data, real.Shape, device: dev);
            var xhat = e * xr + e.RSub(1.0) * fake;
            // the gradient is taken with respect to the interpolate (a non-leaf)
            var g = Engine.Grad(Critic(xhat, p).Sum(), xhat, createGraph: true)!;
            var norm = g.SumSquares([1, 2]).Sqrt();
            return (norm - 1.0).Square().Mean();
        }, inputs, maxCoords: 40, device: dev);
    }

    /// <summary>A critic containing a conv_transpose1d (and sigmoid, tanh) under the penalty.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyOfCriticWithConvTransposeMatchesFiniteDifferences(string device)
    {
        var dev = DeviceRows.Get(device);
        var r = new Inputs(13);
        var x = r.U([2, 2, 12]);
        var inputs = new[] { r.U([2, 3, 5], -0.5, 0.5), r.U([3]), r.U([3, 3, 4], -0.5, 0.5), r.U([18, 1], -0.5, 0.5) };
        GradCheck.Check("WGAN-GP conv-transpose critic", p =>
        {
            var xt = Tensor.FromArray(x.Data, x.Shape, device: dev).RequireGrad();
            return Penalty(xt, t =>
            {
                var h = Tensor.ConvTranspose1d(t, p[0], p[1], 2, 1, 1).Tanh();  // [2, 3, 26]
                h = Tensor.Conv1d(h, p[2], null, 3, 1).Sigmoid();              // [2, 3, 9]
                return h.Slice(2, 0, 6).Flatten(1).MatMul(p[3]);               // [2, 1]
            });
        }, inputs, maxCoords: 60, device: dev);
    }

    /// <summary>The fused backward rules used on the WGAN-GP path are differentiable twice (third order of the op).</summary>
    public static TheoryData<string, string> ThirdOrderCases => DeviceRows.With(["Tanh", "Sigmoid", "LeakyRelu.0.2", "Exp", "Sqrt"]);

    [Theory]
    [MemberData(nameof(ThirdOrderCases))]
    public void GradientOfGradientFunction(string device, string name)
    {
        var dev = DeviceRows.Get(device);
        var c = GradCases.Get(name);
        var g1 = GradCheck.GradientFunction(c.F, c.Inputs, seed: 3, device: dev);
        var g2 = GradCheck.GradientFunction(g1, c.Inputs, seed: 4, device: dev);
        GradCheck.Check(name + " (third order)", g2, c.Inputs, device: dev);
    }

    /// <summary>With createGraph the gradient is recorded; without it, it is not.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void CreateGraphControlsWhetherTheGradientIsRecorded(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(new[] { 0.5, -1.0 }, [2], device: dev).RequireGrad();
        var g1 = Engine.Grad(x.Tanh().Sum(), x)!;
        Assert.False(g1.RequiresGrad);
        var g2 = Engine.Grad(x.Tanh().Sum(), x, createGraph: true)!;
        Assert.True(g2.RequiresGrad);
        // d²/dx² tanh = −2 tanh (1 − tanh²)
        var h = Engine.Grad(g2.Sum(), x)!.ToDoubleArray();
        for (int i = 0; i < 2; i++)
        {
            double t = Math.Tanh(x.ToDoubleArray()[i]);
            Assert.Equal(-2 * t * (1 - t * t), h[i], 1e-12);
        }
    }
}
