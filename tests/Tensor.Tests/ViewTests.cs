using GanAudio.Kernels;

namespace GanAudio.Tensors.Tests;

/// <summary>Views (values, sharing, contiguity), in-place ops and shape errors that name the op and the shapes, on every
/// device row.</summary>
public class ViewTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private static Tensor Ar(Device dev, params int[] shape) => Tensor.Arange(ShapeUtil.Numel(shape), dtype: DType.Float64, device: dev).Reshape(shape);

    private static Tensor Ar(params int[] shape) => Ar(Device.Cpu, shape);

    private static double[] V(Tensor t) => t.ToDoubleArray();

    [Theory]
    [MemberData(nameof(Rows))]
    public void PermuteTransposeAndTAreViews(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 2, 3);
        var t = x.T();
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.False(t.IsContiguous);
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, V(t));
        var p = Ar(dev, 2, 3, 4).Permute(2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.Shape);
        Assert.Equal(4, V(p)[1]); // p[0,0,1] = x[0,1,0]
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void PermuteValues(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var p = Ar(dev, 2, 3, 4).Permute(2, 0, 1); // p[i,j,k] = x[j,k,i] = 12j + 4k + i
        var v = V(p);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++)
            Assert.Equal(12 * j + 4 * k + i, v[(i * 2 + j) * 3 + k]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ReshapeOfAContiguousTensorSharesStorageAndOfAViewCopies(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 2, 3);
        var r = x.Reshape(3, -1);
        Assert.Equal(new[] { 3, 2 }, r.Shape);
        x.MulInPlace(2);
        Assert.Equal(new double[] { 0, 2, 4, 6, 8, 10 }, V(r));
        var rt = x.T().Reshape(6);
        Assert.Equal(new double[] { 0, 6, 2, 8, 4, 10 }, V(rt));
        x.ZeroInPlace();
        Assert.Equal(new double[] { 0, 6, 2, 8, 4, 10 }, V(rt)); // a copy
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void FlattenUnsqueezeSqueeze(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 2, 3, 4);
        Assert.Equal(new[] { 2, 12 }, x.Flatten(1).Shape);
        Assert.Equal(new[] { 24 }, x.Flatten().Shape);
        Assert.Equal(new[] { 6, 4 }, x.Flatten(0, 1).Shape);
        Assert.Equal(new[] { 2, 1, 3, 4 }, x.Unsqueeze(1).Shape);
        Assert.Equal(new[] { 2, 3, 4, 1 }, x.Unsqueeze(-1).Shape);
        Assert.Equal(new[] { 2, 3, 4 }, x.Unsqueeze(0).Squeeze(0).Shape);
        var e = Assert.Throws<TensorShapeException>(() => x.Squeeze(1));
        Assert.Contains("Squeeze", e.Message);
        Assert.Contains("[2, 3, 4]", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SliceIsAViewWithAnOffset(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 3, 4);
        var s = x.Slice(1, 1, 2);
        Assert.Equal(new double[] { 1, 2, 5, 6, 9, 10 }, V(s));
        var s0 = x.Slice(0, 2, 1);
        Assert.Equal(new double[] { 8, 9, 10, 11 }, V(s0));
        Assert.Equal(new double[] { 9 }, V(s0.Slice(-1, 1, 1)));
        Assert.Equal(new[] { 3, 0 }, x.Slice(1, 4, 0).Shape);
        x.MulInPlace(-1);
        Assert.Equal(new double[] { -8, -9, -10, -11 }, V(s0));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void PadAddsZeros(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 2, 2);
        Assert.Equal(new double[] { 0, 0, 1, 0, 0, 0, 2, 3, 0, 0 }, V(x.Pad(1, 1, 2)));
        Assert.Equal(new double[] { 0, 0, 0, 1, 2, 3 }, V(x.Pad(0, 1, 0)));
        Assert.Equal(new double[] { 0, 0, 2, 0, 1, 3 }, V(x.T().Pad(1, 1, 0)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ExpandIsABroadcastView(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 3, 1);
        var e = x.Expand(2, 3, 4);
        Assert.Equal(new[] { 2, 3, 4 }, e.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (double)(i / 4 % 3)).ToArray(), V(e));
        Assert.Equal(new[] { 3, 5 }, x.Expand(-1, 5).Shape);
        var err = Assert.Throws<TensorShapeException>(() => x.Expand(2, 4));
        Assert.Contains("Expand", err.Message);
        Assert.Contains("[3, 1]", err.Message);
        Assert.Contains("[2, 4]", err.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void CatAndStack(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var a = Ar(dev, 2, 2);
        var b = Ar(dev, 2, 1) + 10.0;
        Assert.Equal(new double[] { 0, 1, 10, 2, 3, 11 }, V(Tensor.Cat([a, b], 1)));
        Assert.Equal(new double[] { 0, 1, 2, 3, 0, 2, 1, 3 }, V(Tensor.Cat([a, a.T()], 0)));
        var s = Tensor.Stack([a, a * 2.0], 2);
        Assert.Equal(new[] { 2, 2, 2 }, s.Shape);
        Assert.Equal(new double[] { 0, 0, 1, 2, 2, 4, 3, 6 }, V(s));
        var e = Assert.Throws<TensorShapeException>(() => Tensor.Cat([a, Ar(dev, 3, 3)], 1));
        Assert.Contains("Cat", e.Message);
        Assert.Contains("[2, 2]", e.Message);
        Assert.Contains("[3, 3]", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ContiguousAndCast(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var t = Ar(dev, 2, 3).T();
        var c = t.Contiguous();
        Assert.True(c.IsContiguous);
        Assert.Equal(V(t), V(c));
        var f = t.To(DType.Float32);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, f.ToFloatArray());
        Assert.Equal(V(t), V(f.To(DType.Float64)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SumToShapeReducesBroadcastAxes(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var g = Tensor.Ones([3, 2, 4], DType.Float64, device: dev);
        Assert.Equal(Enumerable.Repeat(3.0, 8).ToArray(), V(g.SumToShape([2, 4])));
        Assert.Equal(Enumerable.Repeat(2.0, 12).ToArray(), V(g.SumToShape([3, 1, 4])));
        Assert.Equal(new[] { 24.0 }, V(g.SumToShape([])));
        Assert.Equal(new[] { 1, 1 }, g.SumToShape([1, 1]).Shape);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void InPlaceOps(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2, 3], DType.Float64, device: dev);
        x.AddInPlace(Ar(dev, 3), 2);
        Assert.Equal(new double[] { 0, 2, 4, 0, 2, 4 }, V(x));
        x.AddInPlace(Ar(dev, 2, 1));
        Assert.Equal(new double[] { 0, 2, 4, 1, 3, 5 }, V(x));
        x.MulInPlace(0.5);
        Assert.Equal(new double[] { 0, 1, 2, 0.5, 1.5, 2.5 }, V(x));
        x.CopyFrom(Tensor.FromArray(new float[] { 7, 8, 9 }, [3], device: dev).To(DType.Float32).To(DType.Float64));
        Assert.Equal(new double[] { 7, 8, 9, 7, 8, 9 }, V(x));
        x.Slice(0, 1, 1).FillInPlace(-1);
        Assert.Equal(new double[] { 7, 8, 9, -1, -1, -1 }, V(x));
        x.Slice(0, 0, 1).CopyFrom(Tensor.Full([1], 4, DType.Float64, device: dev));
        Assert.Equal(new double[] { 4, 4, 4, -1, -1, -1 }, V(x));
        var e = Assert.Throws<TensorShapeException>(() => x.T().AddInPlace(x.T()));
        Assert.Contains("AddInPlace", e.Message);
        Assert.Throws<TensorShapeException>(() => x.AddInPlace(Ar(dev, 2)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void BinaryShapeErrorsNameTheOpAndBothShapes(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TensorShapeException>(() => Ar(dev, 3, 4) + Ar(dev, 2, 4));
        Assert.Contains("Add", e.Message);
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[2, 4]", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Ar(dev, 3, 4).Mul(Ar(dev, 3)));
        Assert.Contains("Mul", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Ar(dev, 2, 2) + Ar(dev, 2, 2).To(DType.Float32));
        Assert.Contains("Add", e.Message);
        Assert.Contains("dtype", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void MatMulShapeErrors(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TensorShapeException>(() => Ar(dev, 3, 4).MatMul(Ar(dev, 5, 2)));
        Assert.Contains("MatMul", e.Message);
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[5, 2]", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Ar(dev, 2, 3, 4).MatMul(Ar(dev, 3, 4, 2)));
        Assert.Contains("batch", e.Message);
        Assert.Throws<TensorShapeException>(() => Ar(dev, 4).MatMul(Ar(dev, 4, 2)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ConvShapeErrors(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TensorShapeException>(() => Tensor.Conv1d(Ar(dev, 1, 2, 10), Ar(dev, 4, 3, 3)));
        Assert.Contains("Conv1d", e.Message);
        Assert.Contains("[1, 2, 10]", e.Message);
        Assert.Contains("[4, 3, 3]", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Tensor.Conv1d(Ar(dev, 1, 2, 10), Ar(dev, 4, 2, 3), Ar(dev, 3)));
        Assert.Contains("bias", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Tensor.ConvTranspose1d(Ar(dev, 1, 2, 10), Ar(dev, 3, 2, 3)));
        Assert.Contains("ConvTranspose1d", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Tensor.ConvTranspose1d(Ar(dev, 1, 2, 10), Ar(dev, 2, 2, 3), null, 2, 0, 2));
        Assert.Contains("output padding", e.Message);
    }

    /// <summary>An input shorter than the kernel (even with padding) has no valid output position (PyTorch raises).</summary>
    [Theory]
    [InlineData(10, 25, 4, 7)]  // 10 + 14 − 25 = −1: integer division must not round −1/4 up to 0
    [InlineData(3, 5, 1, 0)]
    [InlineData(1, 25, 4, 11)]  // 1 + 22 − 25 = −2
    public void Conv1dWithAnInputShorterThanTheKernelThrows(int len, int kernel, int stride, int pad)
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TensorShapeException>(() => Tensor.Conv1d(Ar(1, 1, len), Ar(1, 1, kernel), null, stride, pad));
        Assert.Contains("Conv1d", e.Message);
        Assert.Contains("too short", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ViewShapeErrors(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Ar(dev, 2, 3);
        var e = Assert.Throws<TensorShapeException>(() => x.Reshape(4, 2));
        Assert.Contains("Reshape", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 2]", e.Message);
        Assert.Throws<TensorShapeException>(() => x.Reshape(4, -1));
        e = Assert.Throws<TensorShapeException>(() => x.Slice(1, 2, 2));
        Assert.Contains("Slice", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Throws<TensorShapeException>(() => x.Permute(0, 0));
        Assert.Throws<TensorShapeException>(() => x.Permute(1));
        Assert.Throws<TensorShapeException>(() => x.Sum([2]));
        Assert.Throws<TensorShapeException>(() => x.Pad(0, -1, 0));
        Assert.Throws<TensorShapeException>(() => Ar(dev, 2, 3, 4).T());
        e = Assert.Throws<TensorShapeException>(() => x.Item());
        Assert.Contains("Item", e.Message);
        e = Assert.Throws<TensorShapeException>(() => Tensor.FromArray(new double[5], [2, 3], device: dev));
        Assert.Contains("FromArray", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EmptyTensorsFlowThroughOps(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var e = Tensor.Zeros([0, 3], DType.Float64, device: dev);
        Assert.Equal(new[] { 0, 3 }, (e + 1.0).Shape);
        Assert.Equal(new[] { 0, 3 }, (e * Ar(dev, 3)).Shape);
        Assert.Equal(new[] { 3, 0 }, e.T().Contiguous().Shape);
        Assert.Equal(new[] { 0, 2 }, e.MatMul(Ar(dev, 3, 2)).Shape);
        Assert.Equal(new[] { 2, 3 }, Tensor.Cat([e, Ar(dev, 2, 3)], 0).Shape);
        Assert.Empty(e.ToDoubleArray());
    }
}
