using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>Tape behaviour: Detach, NoGrad, retainGraph, accumulation into leaves, unused inputs.</summary>
public class AutogradTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private static Tensor Vec(Device dev, params double[] v) => Tensor.FromArray(v, [v.Length], device: dev);

    private static void Near(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"[{i}] expected {expected[i]} got {actual[i]}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void DetachSharesDataButStopsGradients(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2, 3).RequireGrad();
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        var g = Engine.Grad((d * x).Sum(), x)!; // d is a constant: gradient is d, not 2x
        Near([1, 2, 3], g.ToDoubleArray());
        x.MulInPlace(2); // shares storage
        Near([2, 4, 6], d.ToDoubleArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void NoGradDoesNotRecordAndNests(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2).RequireGrad();
        using (GradMode.NoGrad())
        {
            Assert.False(GradMode.Enabled);
            using (GradMode.NoGrad()) Assert.False(x.Square().RequiresGrad);
            Assert.False(GradMode.Enabled);
            var y = x.Square();
            Assert.False(y.RequiresGrad);
            Assert.Throws<InvalidOperationException>(() => Engine.Grad(y.Sum(), x));
        }
        Assert.True(GradMode.Enabled);
        Assert.True(x.Square().RequiresGrad);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void OpsOnTensorsThatNeedNoGradAreNotRecorded(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var a = Vec(dev, 1, 2);
        var y = (a * a).Exp();
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.Throws<InvalidOperationException>(() => Vec(dev, 1).RequireGrad().Square().RequiresGrad = false);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void SecondBackwardWithoutRetainGraphThrowsAClearMessage(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2).RequireGrad();
        var y = x.Tanh().Sum();
        Engine.Grad(y, x);
        var e = Assert.Throws<InvalidOperationException>(() => Engine.Grad(y, x));
        Assert.Contains("retainGraph", e.Message);
        Assert.Contains("freed", e.Message);
        var z = x.Exp().Sum();
        z.Backward();
        e = Assert.Throws<InvalidOperationException>(() => z.Backward());
        Assert.Contains("retainGraph", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RetainGraphAllowsASecondPassWithTheSameResult(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 0.5, -1).RequireGrad();
        var y = (x.Tanh() * x).Sum();
        var g1 = Engine.Grad(y, x, retainGraph: true)!.ToDoubleArray();
        var g2 = Engine.Grad(y, x, retainGraph: true)!.ToDoubleArray();
        Assert.Equal(g1, g2);
        var g3 = Engine.Grad(y, x)!.ToDoubleArray();
        Assert.Equal(g1, g3);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void BackwardTwiceAddsIntoLeafGradients(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, -2, 3).RequireGrad();
        var w = Vec(dev, 4, 5, 6).RequireGrad();
        var y = (x * w).Sum();
        y.Backward(retainGraph: true);
        Near([4, 5, 6], x.Grad!.ToDoubleArray());
        Near([1, -2, 3], w.Grad!.ToDoubleArray());
        y.Backward();
        Near([8, 10, 12], x.Grad!.ToDoubleArray());
        Near([2, -4, 6], w.Grad!.ToDoubleArray());
        // a third pass through a fresh graph keeps adding
        (x * 0.5).Sum().Backward();
        Near([8.5, 10.5, 12.5], x.Grad!.ToDoubleArray());
        Assert.False(x.Grad!.RequiresGrad);
        x.Grad.Dispose();
        w.Grad.Dispose();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void BackwardWithGradOutputAndCreateGraph(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 0.3, -0.7).RequireGrad();
        var y = x.Square();
        y.Backward(Vec(dev, 2, 3), createGraph: true);
        Near([2 * 2 * 0.3, 3 * 2 * -0.7], x.Grad!.ToDoubleArray());
        Assert.True(x.Grad!.RequiresGrad);
        var h = Engine.Grad(x.Grad!.Sum(), x)!; // d/dx Σ gᵢ·2xᵢ = 2g
        Near([4, 6], h.ToDoubleArray());
        x.Grad.Dispose();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void UnusedInputsGetNull(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2).RequireGrad();
        var unused = Vec(dev, 3).RequireGrad();
        var constant = Vec(dev, 5, 6);
        var gs = Engine.Grad([(x * constant).Sum()], [x, unused, constant]);
        Near([5, 6], gs[0]!.ToDoubleArray());
        Assert.Null(gs[1]);
        Assert.Null(gs[2]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradOfAnOutputThatNeedsNoGradThrows(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2);
        var e = Assert.Throws<InvalidOperationException>(() => Engine.Grad(x.Sum(), x));
        Assert.Contains("does not require grad", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradOutputOfTheWrongShapeThrowsNamingBothShapes(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2, 3).RequireGrad();
        var e = Assert.Throws<TensorShapeException>(() => Engine.Grad([x.Square()], [x], [Vec(dev, 1, 2)]));
        Assert.Contains("Grad", e.Message);
        Assert.Contains("[2]", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientsFromSeveralPathsAndOutputsAreSummed(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 0.5, 1.5).RequireGrad();
        var a = x.Square();           // 2x
        var b = x * 3.0;              // 3
        var y1 = (a + b).Sum();
        var y2 = x.Exp();             // eˣ, weighted by gradOutput
        var gs = Engine.Grad([y1, y2], [x], [null, Vec(dev, 2, -1)]);
        Near([2 * 0.5 + 3 + 2 * Math.Exp(0.5), 2 * 1.5 + 3 - Math.Exp(1.5)], gs[0]!.ToDoubleArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradWithRespectToAnIntermediateTensor(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 0.2, 0.4).RequireGrad();
        var h = x.Exp();
        var y = (h.Square()).Sum();
        var gs = Engine.Grad([y], [h, x]);
        var hv = h.ToDoubleArray();
        Near([2 * hv[0], 2 * hv[1]], gs[0]!.ToDoubleArray());
        Near([2 * hv[0] * hv[0], 2 * hv[1] * hv[1]], gs[1]!.ToDoubleArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Float32GradientsAreFloat32(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(new float[] { 1, 2 }, [2], device: dev).RequireGrad();
        var g = Engine.Grad((x * x).Sum(), x)!;
        Assert.Equal(DType.Float32, g.DType);
        Assert.Equal(new float[] { 2, 4 }, g.ToFloatArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void MaxSharesTheGradientEvenlyAmongTies(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(new[] { 1.0, 3, 3, 2, 5, 5, 5, 0 }, [2, 4], device: dev).RequireGrad();
        var g = Engine.Grad(x.Max([1]).Sum(), x)!;
        Near([0, 0.5, 0.5, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 0], g.ToDoubleArray());
        var gmin = Engine.Grad(x.Min(null).Sum(), x)!;
        Near([0, 0, 0, 0, 0, 0, 0, 1], gmin.ToDoubleArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void LeafGradIsNotSetByEngineGrad(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 1, 2).RequireGrad();
        Engine.Grad(x.Square().Sum(), x);
        Assert.Null(x.Grad);
    }

    /// <summary>A forward pass whose intermediates were disposed by an inner scope must not silently lose the
    /// gradient: rules that do not need the disposed data still work, rules that do fail loudly.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void DisposedIntermediatesDoNotSilentlyCutTheGraph(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 0.5, -1).RequireGrad();
        Tensor y;
        using (var inner = TensorScope.Begin())
            y = TensorScope.Keep((x.Square() * 3.0).Sum()); // x² and 3x² are disposed here; no rule needs their data
        var g = Engine.Grad(y, x);
        Assert.NotNull(g);
        Near([3, -6], g!.ToDoubleArray());
        Tensor z;
        using (var inner = TensorScope.Begin())
            z = TensorScope.Keep(x.Tanh().Sum()); // tanh's rule needs its (disposed) output
        Assert.Throws<ObjectDisposedException>(() => Engine.Grad(z, x));
        Tensor w;
        using (var inner = TensorScope.Begin())
            w = TensorScope.Keep(((x * 3.0) * x).Sum()); // Mul's rule needs the disposed x·3
        Assert.Throws<ObjectDisposedException>(() => Engine.Grad(w, x));
    }

    /// <summary>Grad with respect to an intermediate runs (and frees) only the part of the graph above it, as
    /// torch.autograd.grad does: the graph below stays usable.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradWithRespectToAnIntermediateLeavesTheGraphBelowIt(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Vec(dev, 0.2, 0.4).RequireGrad();
        var h = x.Exp();
        var gh = Engine.Grad(h.Square().Sum(), h)!;
        var hv = h.ToDoubleArray();
        Near([2 * hv[0], 2 * hv[1]], gh.ToDoubleArray());
        var gx = Engine.Grad(h.Sum(), x)!; // exp's node was not needed above, so it was not freed
        Near(hv, gx.ToDoubleArray());
    }

    /// <summary>A gradient penalty's Grad(D(x̂), x̂, createGraph) does not run the backward rules of what produced x̂
    /// (the generator): here one of them would need a disposed tensor.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradDoesNotRunBackwardRulesBelowTheRequestedInputs(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var theta = Vec(dev, 0.3, 0.6).RequireGrad();
        Tensor xhat;
        using (var inner = TensorScope.Begin())
            xhat = TensorScope.Keep(theta.Tanh().Exp()); // "generator"; tanh's output is disposed
        var d = (xhat.Square() * 2.0).Sum();             // "critic"
        var g = Engine.Grad(d, xhat, createGraph: true)!;
        Near(xhat.ToDoubleArray().Select(v => 4 * v).ToArray(), g.ToDoubleArray());
        Assert.Throws<ObjectDisposedException>(() => Engine.Grad(d, theta));
    }

    /// <summary>With createGraph the gradient is also differentiable w.r.t. gradOutputs: d⟨vᵀJ, u⟩/dv = J u
    /// (the double-backward trick for Jacobian-vector products).</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradIsDifferentiableWithRespectToGradOutputs(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(new[] { 0.3, -0.8, 1.1 }, [3], device: dev).RequireGrad();
        var m = Tensor.FromArray(new[] { 1.0, 2, -1, 0.5, 3, -2 }, [2, 3], device: dev);
        var y = m.MatMul(x.Tanh().Reshape(3, 1)).Reshape(2); // y = M tanh(x)
        var v = Tensor.Zeros([2], DType.Float64, device: dev).RequireGrad();
        var vj = Engine.Grad([y], [x], [v], createGraph: true)[0]!;
        var u = Tensor.FromArray(new[] { 1.0, -2, 0.5 }, [3], device: dev);
        var ju = Engine.Grad((vj * u).Sum(), v)!.ToDoubleArray();
        var xv = x.ToDoubleArray();
        var md = m.ToDoubleArray();
        for (int r = 0; r < 2; r++)
        {
            double e = 0;
            for (int c = 0; c < 3; c++) e += md[r * 3 + c] * (1 - Math.Tanh(xv[c]) * Math.Tanh(xv[c])) * u.ToDoubleArray()[c];
            Assert.Equal(e, ju[r], 1e-12);
        }
    }
}
