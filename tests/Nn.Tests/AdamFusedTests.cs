using GanAudio.Kernels;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

public class AdamFusedTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    /// <summary>The fused kernel and the composed tensor-op path are the same formula: after 10 steps on a quadratic they
    /// agree to float64 rounding (with weight decay and AMSGrad).</summary>
    [Theory]
    [InlineData("cpu", false)]
    [InlineData("cpu", true)]
    [InlineData("cuda", false)]
    [InlineData("cuda", true)]
    public void FusedKernelMatchesComposedPath(string device, bool amsgrad)
    {
        var dev = DeviceRows.Get(device);
        double[] Run(bool fused)
        {
            using var p = Tensor.FromArray(Enumerable.Range(0, 37).Select(i => Math.Sin(i)).ToArray(), [37], device: dev).RequireGrad();
            using var opt = new Adam([("p", p)], lr: 0.05, beta1: 0.5, beta2: 0.9, weightDecay: 0.01, amsgrad: amsgrad) { Fused = fused };
            for (int s = 0; s < 10; s++)
            {
                using var scope = TensorScope.Begin();
                opt.ZeroGrad();
                ((p - 0.3) * (p + 0.1) * (p * p + 1.0)).Sum().Backward();
                opt.Step();
            }
            return p.ToDoubleArray();
        }
        var a = Run(true);
        var b = Run(false);
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 1e-12);
    }
}
