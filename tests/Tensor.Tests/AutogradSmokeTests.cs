using GanAudio.Kernels;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

public class AutogradSmokeTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradOfSumOfSquaresIsTwoX(string device)
    {
        var dev = DeviceRows.Get(device);
        using var x = Tensor.FromArray(new double[] { 1, -2, 3 }, [3], device: dev).RequireGrad();
        using var scope = TensorScope.Begin();
        var y = x.Square().Sum();
        var g = Engine.Grad(y, x)!;
        Assert.Equal(new double[] { 2, -4, 6 }, g.ToDoubleArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SecondOrderOfCube(string device)
    {
        var dev = DeviceRows.Get(device);
        using var x = Tensor.FromArray(new double[] { 1.5, -2 }, [2], device: dev).RequireGrad();
        using var scope = TensorScope.Begin();
        var y = x.Pow(3).Sum();
        var g = Engine.Grad(y, x, createGraph: true)!; // 3x²
        var h = Engine.Grad(g.Sum(), x)!;               // 6x
        var hv = h.ToDoubleArray();
        Assert.Equal(9, hv[0], 1e-12);
        Assert.Equal(-12, hv[1], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ConvForwardMatchesShape(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, 3, 64], dtype: DType.Float64, device: dev);
        var w = Tensor.Randn([5, 3, 25], dtype: DType.Float64, device: dev);
        var y = Tensor.Conv1d(x, w, null, 4, 11);
        Assert.Equal(new[] { 2, 5, 16 }, y.Shape);
        var t = Tensor.ConvTranspose1d(y, w, null, 4, 11, 1);
        Assert.Equal(new[] { 2, 3, 64 }, t.Shape);
    }
}
