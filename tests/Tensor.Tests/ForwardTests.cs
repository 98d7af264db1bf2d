using GanAudio.Kernels;

namespace GanAudio.Tensors.Tests;

/// <summary>Forward values of broadcasting, reductions, matmul and convolutions against plain loops (float64), on every
/// device row; float64 results must match the loops to 1e-12 on cuda as on the CPU (only summation order differs).</summary>
public class ForwardTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private static void Near(double[] expected, double[] actual, double tol = 1e-12, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}] expected {expected[i]} got {actual[i]}");
    }

    private static (Tensor T, double[] D) R(Device dev, Inputs r, params int[] shape)
    {
        var g = r.U(shape, -2, 2);
        return (Tensor.FromArray(g.Data, shape, device: dev), g.Data);
    }

    public static IEnumerable<TheoryDataRow> BroadcastShapesOnRows => DeviceRows.Cross(BroadcastShapes);

    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { [3, 1, 4], [2, 4] }, { [2, 3], [2, 3] }, { [], [2, 3] }, { [4], [3, 1] }, { [1, 1], [5] }, { [2, 1, 3, 1], [4, 1, 5] },
    };

    [Theory]
    [MemberData(nameof(BroadcastShapesOnRows))]
    public void BinaryOpsBroadcast(string device, int[] sa, int[] sb)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var r = new Inputs(5);
        var (a, ad) = R(dev, r, sa);
        var (b, bd0) = R(dev, r, sb);
        var bd = bd0.Select(v => v < 0 ? v - 0.5 : v + 0.5).ToArray(); // away from 0 for Div
        b = Tensor.FromArray(bd, sb, device: dev);
        var shape = ShapeUtil.Broadcast("test", sa, sb);
        var ops = new (string, Func<Tensor, Tensor, Tensor>, Func<double, double, double>)[]
        {
            ("Add", (x, y) => x + y, (x, y) => x + y), ("Sub", (x, y) => x - y, (x, y) => x - y),
            ("Mul", (x, y) => x * y, (x, y) => x * y), ("Div", (x, y) => x / y, (x, y) => x / y),
            ("Maximum", (x, y) => x.Maximum(y), Math.Max), ("Minimum", (x, y) => x.Minimum(y), Math.Min),
            ("Pow", (x, y) => x.Abs().Pow(y), (x, y) => Math.Pow(Math.Abs(x), y)),
            ("Gt", (x, y) => x.Gt(y), (x, y) => x > y ? 1 : 0), ("Lt", (x, y) => x.Lt(y), (x, y) => x < y ? 1 : 0),
            ("Ge", (x, y) => x.Ge(y), (x, y) => x >= y ? 1 : 0), ("Le", (x, y) => x.Le(y), (x, y) => x <= y ? 1 : 0),
        };
        foreach (var (name, op, f) in ops)
        {
            var y = op(a, b);
            Assert.Equal(shape, y.Shape);
            Near(Naive.Binary(ad, sa, bd, sb, shape, f), y.ToDoubleArray(), 1e-12, name);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void UnaryOpsMatchMath(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var d = new[] { -1.7, -0.4, 0.3, 1.2, 2.5 };
        var x = Tensor.FromArray(d, [5], device: dev);
        var pos = x.Abs() + 0.1;
        void Check(Tensor y, Func<double, double> f, bool positive = false) =>
            Near(d.Select(v => f(positive ? Math.Abs(v) + 0.1 : v)).ToArray(), y.ToDoubleArray(), 1e-14);
        Check(x.Neg(), v => -v);
        Check(x.Abs(), Math.Abs);
        Check(x.Exp(), Math.Exp);
        Check(pos.Log(), Math.Log, true);
        Check(pos.Sqrt(), Math.Sqrt, true);
        Check(x.Square(), v => v * v);
        Check(x.Tanh(), Math.Tanh);
        Check(x.Sigmoid(), v => 1 / (1 + Math.Exp(-v)));
        Check(x.Relu(), v => Math.Max(v, 0));
        Check(x.LeakyRelu(0.2), v => v > 0 ? v : 0.2 * v);
        Check(pos.Pow(1.5), v => Math.Pow(v, 1.5), true);
        Check(x.Clamp(-0.5, 1), v => Math.Clamp(v, -0.5, 1));
        Check(x - 2.0, v => v - 2);
        Check(x / 4.0, v => v / 4);
        Check(3.0 - x, v => 3 - v);
        Check(3.0 / x, v => 3 / v);
        Check(x.Maximum(0.5), v => Math.Max(v, 0.5));
        Check(x.Minimum(0.5), v => Math.Min(v, 0.5));
        Check(x.Sin(), Math.Sin);
        Check(x.Cos(), Math.Cos);
        Check(x.Sign(), v => Math.Sign(v));
    }

    public static IEnumerable<TheoryDataRow> ReduceCasesOnRows => DeviceRows.Cross(ReduceCases);

    public static TheoryData<int[], int[]> ReduceCases => new()
    {
        { [2, 3, 4], [1] }, { [2, 3, 4], [0, 1] }, { [2, 3, 4], [0, 2] }, { [2, 3, 4], [] }, { [2, 3, 2, 3], [1, 3] },
        { [2, 3, 2, 3], [0, 2, 3] }, { [5], [0] }, { [3, 1, 4], [1] }, { [2, 3, 4], [-1] },
    };

    [Theory]
    [MemberData(nameof(ReduceCasesOnRows))]
    public void ReductionsMatchLoops(string device, int[] shape, int[] axes)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var (x, d) = R(dev, new Inputs(6), shape);
        var ax = ShapeUtil.NormalizeAxes(axes, shape.Length, "test");
        var kept = (int[])shape.Clone();
        foreach (int a in ax) kept[a] = 1;
        var dropped = shape.Where((_, i) => !ax.Contains(i)).ToArray();
        double count = ax.Aggregate(1.0, (c, a) => c * shape[a]);
        var cases = new (string, Func<int[], bool, Tensor>, double[])[]
        {
            ("Sum", (a, k) => x.Sum(a, k), Naive.Reduce(d, shape, ax, 0, (s, v) => s + v)),
            ("Mean", (a, k) => x.Mean(a, k), Naive.Reduce(d, shape, ax, 0, (s, v) => s + v).Select(v => v / count).ToArray()),
            ("Max", (a, k) => x.Max(a, k), Naive.Reduce(d, shape, ax, double.NegativeInfinity, Math.Max)),
            ("Min", (a, k) => x.Min(a, k), Naive.Reduce(d, shape, ax, double.PositiveInfinity, Math.Min)),
            ("SumSquares", (a, k) => x.SumSquares(a, k), Naive.Reduce(d, shape, ax, 0, (s, v) => s + v * v)),
        };
        foreach (var (name, f, expected) in cases)
        {
            var yk = f(axes, true);
            Assert.Equal(kept, yk.Shape);
            Near(expected, yk.ToDoubleArray(), 1e-12, name);
            var y = f(axes, false);
            Assert.Equal(dropped, y.Shape);
            Near(expected, y.ToDoubleArray(), 1e-12, name);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ReductionOfANonContiguousViewUsesLogicalOrder(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(24, dtype: DType.Float64, device: dev).Reshape(2, 3, 4).Permute(2, 0, 1); // [4, 2, 3]
        var s = x.Sum([1]);                                                                   // [4, 3]
        var expected = new double[12];
        for (int i = 0; i < 4; i++)
            for (int k = 0; k < 3; k++)
                expected[i * 3 + k] = (0 * 12 + k * 4 + i) + (1 * 12 + k * 4 + i);
        Near(expected, s.ToDoubleArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ReductionsOfEmptyAndScalarTensors(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var e = Tensor.Zeros([0, 3], DType.Float64, device: dev);
        var s = e.Sum([0]);
        Assert.Equal(new[] { 3 }, s.Shape);
        Near([0, 0, 0], s.ToDoubleArray());
        var sc = Tensor.Scalar(2.5, DType.Float64, device: dev);
        Assert.Equal(2.5, sc.Sum().Item());
        Assert.Empty(sc.Sum().Shape);
    }

    public static IEnumerable<TheoryDataRow> MatMulCasesOnRows => DeviceRows.Cross(MatMulCases);

    public static TheoryData<string> MatMulCases => new() { "2d", "3d", "3dx2d", "2dx3d", "batch1", "tA", "tB", "tAtB3d", "permutedBatch", "sliced" };

    [Theory]
    [MemberData(nameof(MatMulCasesOnRows))]
    public void MatMulMatchesLoops(string device, string kind)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var r = new Inputs(7);
        const int m = 3, k = 5, n = 4, B = 2;
        var ad = r.U([B, m, k]).Data;
        var bd = r.U([B, k, n]).Data;
        var a2 = ad[..(m * k)];
        var b2 = bd[..(k * n)];
        Tensor y;
        double[] expected;
        // build operand tensors whose logical values are ad / bd (or their first matrix)
        Tensor Tr(double[] d, int rows, int cols) => Tensor.FromArray(Transpose(d, rows, cols), [cols, rows], device: dev).T();
        switch (kind)
        {
            case "2d": y = Tensor.FromArray(a2, [m, k], device: dev).MatMul(Tensor.FromArray(b2, [k, n], device: dev)); expected = Naive.MatMul(a2, b2, 1, m, k, n, false, false); break;
            case "3d": y = Tensor.FromArray(ad, [B, m, k], device: dev).MatMul(Tensor.FromArray(bd, [B, k, n], device: dev)); expected = Naive.MatMul(ad, bd, B, m, k, n, true, true); break;
            case "3dx2d": y = Tensor.FromArray(ad, [B, m, k], device: dev).MatMul(Tensor.FromArray(b2, [k, n], device: dev)); expected = Naive.MatMul(ad, b2, B, m, k, n, true, false); break;
            case "2dx3d": y = Tensor.FromArray(a2, [m, k], device: dev).MatMul(Tensor.FromArray(bd, [B, k, n], device: dev)); expected = Naive.MatMul(a2, bd, B, m, k, n, false, true); break;
            case "batch1": y = Tensor.FromArray(a2, [1, m, k], device: dev).MatMul(Tensor.FromArray(bd, [B, k, n], device: dev)); expected = Naive.MatMul(a2, bd, B, m, k, n, false, true); break;
            case "tA": y = Tr(a2, m, k).MatMul(Tensor.FromArray(b2, [k, n], device: dev)); expected = Naive.MatMul(a2, b2, 1, m, k, n, false, false); break;
            case "tB": y = Tensor.FromArray(a2, [m, k], device: dev).MatMul(Tr(b2, k, n)); expected = Naive.MatMul(a2, b2, 1, m, k, n, false, false); break;
            case "tAtB3d":
            {
                var at = Enumerable.Range(0, B).SelectMany(p => Transpose(ad[(p * m * k)..((p + 1) * m * k)], m, k)).ToArray();
                var bt = Enumerable.Range(0, B).SelectMany(p => Transpose(bd[(p * k * n)..((p + 1) * k * n)], k, n)).ToArray();
                y = Tensor.FromArray(at, [B, k, m], device: dev).Transpose(1, 2).MatMul(Tensor.FromArray(bt, [B, n, k], device: dev).Transpose(1, 2));
                expected = Naive.MatMul(ad, bd, B, m, k, n, true, true);
                break;
            }
            case "permutedBatch":
            {
                // [m, B, k] storage, permuted to [B, m, k]
                var pd = new double[B * m * k];
                for (int p = 0; p < B; p++) for (int i = 0; i < m; i++) for (int t = 0; t < k; t++) pd[(i * B + p) * k + t] = ad[(p * m + i) * k + t];
                y = Tensor.FromArray(pd, [m, B, k], device: dev).Permute(1, 0, 2).MatMul(Tensor.FromArray(bd, [B, k, n], device: dev));
                expected = Naive.MatMul(ad, bd, B, m, k, n, true, true);
                break;
            }
            default:
            {
                // a is rows 1..3 of a [B, m+2, k] tensor; b is columns 2..6 of a [B, k, n+3] tensor
                var big = Tensor.FromArray(r.U([B, m + 2, k]).Data, [B, m + 2, k], device: dev);
                var bigB = Tensor.FromArray(r.U([B, k, n + 3]).Data, [B, k, n + 3], device: dev);
                var av = big.Slice(1, 1, m);
                var bv = bigB.Slice(2, 2, n);
                y = av.MatMul(bv);
                expected = Naive.MatMul(av.ToDoubleArray(), bv.ToDoubleArray(), B, m, k, n, true, true);
                break;
            }
        }
        Near(expected, y.ToDoubleArray(), 1e-12, kind);
    }

    private static double[] Transpose(double[] d, int rows, int cols)
    {
        var t = new double[d.Length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = d[i * cols + j];
        return t;
    }

    public static IEnumerable<TheoryDataRow> ConvCasesOnRows => DeviceRows.Cross(ConvCases);

    public static TheoryData<int, int, int, int, int, int, int, bool> ConvCases => new()
    {
        // batch, cin, len, cout, kernel, stride, pad, bias
        { 2, 3, 11, 4, 3, 1, 0, true }, { 2, 1, 64, 3, 25, 4, 11, true }, { 1, 2, 14, 3, 5, 3, 2, false },
        { 3, 2, 7, 2, 7, 1, 3, true }, { 1, 1, 5, 1, 1, 2, 0, false }, { 2, 4, 16384, 2, 25, 4, 11, true },
    };

    [Theory]
    [MemberData(nameof(ConvCasesOnRows))]
    public void Conv1dMatchesLoops(string device, int batch, int cin, int len, int cout, int kernel, int stride, int pad, bool withBias)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var r = new Inputs(8);
        var x = r.U([batch, cin, len]).Data;
        var w = r.U([cout, cin, kernel]).Data;
        var b = withBias ? r.U([cout]).Data : null;
        var expected = Naive.Conv1d(x, batch, cin, len, w, cout, kernel, b, stride, pad, out int lout);
        var y = Tensor.Conv1d(Tensor.FromArray(x, [batch, cin, len], device: dev), Tensor.FromArray(w, [cout, cin, kernel], device: dev),
            b is null ? null : Tensor.FromArray(b, [cout], device: dev), stride, pad);
        Assert.Equal(new[] { batch, cout, lout }, y.Shape);
        Near(expected, y.ToDoubleArray(), 1e-12);
    }

    [Theory]
    [MemberData(nameof(ConvCasesOnRows))]
    public void ConvTranspose1dMatchesLoops(string device, int batch, int cin, int len, int cout, int kernel, int stride, int pad, bool withBias)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var r = new Inputs(9);
        int lin = Math.Max(1, len / Math.Max(stride, 1) / 4);
        for (int outPad = 0; outPad < stride; outPad++)
        {
            int lout = (lin - 1) * stride - 2 * pad + kernel + outPad;
            if (lout <= 0) continue;
            var x = r.U([batch, cin, lin]).Data;
            var w = r.U([cin, cout, kernel]).Data;
            var b = withBias ? r.U([cout]).Data : null;
            var expected = Naive.ConvTranspose1d(x, batch, cin, lin, w, cout, kernel, b, stride, pad, lout);
            var y = Tensor.ConvTranspose1d(Tensor.FromArray(x, [batch, cin, lin], device: dev), Tensor.FromArray(w, [cin, cout, kernel], device: dev),
                b is null ? null : Tensor.FromArray(b, [cout], device: dev), stride, pad, outPad);
            Assert.Equal(new[] { batch, cout, lout }, y.Shape);
            Near(expected, y.ToDoubleArray(), 1e-12, $"outPad {outPad}");
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Conv1dWeightGradIsTheAdjointInTheWeight(string device)
    {
        var dev = DeviceRows.Get(device);
        // ⟨gy, conv1d(x, w)⟩ = ⟨Conv1dWeightGrad(x, gy), w⟩
        using var scope = TensorScope.Begin();
        var r = new Inputs(10);
        var x = Tensor.FromArray(r.U([2, 3, 30]).Data, [2, 3, 30], device: dev);
        var w = Tensor.FromArray(r.U([4, 3, 5]).Data, [4, 3, 5], device: dev);
        var y = Tensor.Conv1d(x, w, null, 3, 2);
        var gy = Tensor.FromArray(r.U(y.Shape).Data, y.Shape, device: dev);
        var gw = Tensor.Conv1dWeightGrad(x, gy, 5, 3, 2);
        Assert.Equal(w.Shape, gw.Shape);
        Assert.Equal((gy * y).Sum().Item(), (gw * w).Sum().Item(), 1e-10);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Float32AndFloat64Agree(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var r = new Inputs(11);
        var xd = r.U([2, 2, 40]).Data;
        var wd = r.U([3, 2, 5]).Data;
        var y64 = Tensor.Conv1d(Tensor.FromArray(xd, [2, 2, 40], device: dev), Tensor.FromArray(wd, [3, 2, 5], device: dev), null, 2, 2).Tanh().Sum([2]);
        var y32 = Tensor.Conv1d(Tensor.FromArray(xd, [2, 2, 40], device: dev).To(DType.Float32), Tensor.FromArray(wd, [3, 2, 5], DType.Float32, device: dev), null, 2, 2).Tanh().Sum([2]);
        Assert.Equal(DType.Float32, y32.DType);
        Near(y64.ToDoubleArray(), y32.To(DType.Float64).ToDoubleArray(), 1e-5);
    }
}
