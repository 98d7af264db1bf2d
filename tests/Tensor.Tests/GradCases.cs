using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>A gradient-check case: f of some float64 inputs that records <see cref="Kind"/> on its tape.</summary>
public sealed record GradCase(string Name, OpKind Kind, Func<Tensor[], Tensor> F, GradInput[] Inputs, double Step = 1e-6, double Tol = 1e-6,
    double DeviceTol = 1e-12)
{
    public override string ToString() => Name;
}

/// <summary>The registry: every <see cref="OpKind"/> maps to at least one gradient-check case (a test enforces it).</summary>
public static class GradCases
{
    private static readonly Lazy<IReadOnlyList<GradCase>> all = new(Build);

    public static IReadOnlyList<GradCase> All => all.Value;

    public static GradCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var c in All) d.Add(c.Name);
        return d;
    }

    private static IReadOnlyList<GradCase> Build()
    {
        var r = new Inputs(20240611);
        var cases = new List<GradCase>();
        void Add(string name, OpKind kind, Func<Tensor[], Tensor> f, params GradInput[] inputs) => cases.Add(new(name, kind, f, inputs));

        int[] s = [2, 3, 4];
        // unary (inputs kept away from kinks and domain edges)
        Add("Neg", OpKind.Neg, x => x[0].Neg(), r.U(s));
        Add("Neg.operator", OpKind.Neg, x => -x[0], r.U([5]));
        Add("Abs", OpKind.Abs, x => x[0].Abs(), r.AwayFromZero(s));
        Add("Exp", OpKind.Exp, x => x[0].Exp(), r.U(s));
        Add("Log", OpKind.Log, x => x[0].Log(), r.U(s, 0.5, 2));
        Add("Sqrt", OpKind.Sqrt, x => x[0].Sqrt(), r.U(s, 0.5, 2));
        Add("Square", OpKind.Square, x => x[0].Square(), r.U(s));
        Add("Tanh", OpKind.Tanh, x => x[0].Tanh(), r.U(s, -2, 2));
        Add("Tanh.permutedView", OpKind.Tanh, x => x[0].Permute(2, 0, 1).Tanh(), r.U(s, -2, 2));
        Add("Sigmoid", OpKind.Sigmoid, x => x[0].Sigmoid(), r.U(s, -3, 3));
        Add("Relu", OpKind.Relu, x => x[0].Relu(), r.AwayFromZero(s));
        Add("LeakyRelu.0.2", OpKind.LeakyRelu, x => x[0].LeakyRelu(0.2), r.AwayFromZero(s));
        Add("LeakyRelu.default", OpKind.LeakyRelu, x => x[0].LeakyRelu(), r.AwayFromZero(s));
        Add("Pow.3", OpKind.Pow, x => x[0].Pow(3), r.U(s));
        Add("Pow.2.5", OpKind.Pow, x => x[0].Pow(2.5), r.U(s, 0.3, 2));
        Add("Pow.-1.5", OpKind.Pow, x => x[0].Pow(-1.5), r.U(s, 0.5, 2));
        Add("Clamp", OpKind.Clamp, x => x[0].Clamp(-0.5, 0.5), r.Avoiding(s, -1, 1, 0.05, -0.5, 0.5));
        Add("AddScalar", OpKind.AddScalar, x => x[0].Add(2.5) + 1.0, r.U(s));
        Add("AddScalar.sub", OpKind.AddScalar, x => x[0] - 3.0, r.U(s));
        Add("AddScalar.scalarPlus", OpKind.AddScalar, x => 3.0 + x[0], r.U(s));
        Add("MulScalar", OpKind.MulScalar, x => x[0] * 1.7, r.U(s));
        Add("MulScalar.div", OpKind.MulScalar, x => x[0] / 3.0, r.U(s));
        Add("MulScalar.scalarTimes", OpKind.MulScalar, x => -2.0 * x[0], r.U(s));
        Add("RSubScalar", OpKind.RSubScalar, x => 2.0 - x[0], r.U(s));
        Add("RDivScalar", OpKind.RDivScalar, x => 2.0 / x[0], r.AwayFromZero(s, 0.5, 2));
        Add("MaximumScalar", OpKind.MaximumScalar, x => x[0].Maximum(0.3), r.Avoiding(s, -1, 1, 0.05, 0.3));
        Add("MinimumScalar", OpKind.MinimumScalar, x => x[0].Minimum(-0.2), r.Avoiding(s, -1, 1, 0.05, -0.2));
        Add("Sin", OpKind.Sin, x => x[0].Sin(), r.U(s, -3, 3));
        Add("Cos", OpKind.Cos, x => x[0].Cos(), r.U(s, -3, 3));

        // binary, broadcasting [3,1,4] with [2,4] → [3,2,4]; also same shape, scalar and transposed operands
        int[] a = [3, 1, 4], b = [2, 4];
        Add("Add.broadcast", OpKind.Add, x => x[0] + x[1], r.U(a), r.U(b));
        Add("Add.sameShape", OpKind.Add, x => x[0].Add(x[1]), r.U(s), r.U(s));
        Add("Add.scalarTensor", OpKind.Add, x => x[0] + x[1], r.U(s), r.U([]));
        Add("Add.sameInputTwice", OpKind.Add, x => x[0] + x[0], r.U(s));
        Add("Sub.broadcast", OpKind.Sub, x => x[0] - x[1], r.U(a), r.U(b));
        Add("Sub.transposedView", OpKind.Sub, x => x[0].T() - x[1], r.U([4, 3]), r.U([3, 1]));
        Add("Mul.broadcast", OpKind.Mul, x => x[0] * x[1], r.U(a), r.U(b));
        Add("Mul.square", OpKind.Mul, x => x[0] * x[0], r.U(s));
        Add("Div.broadcast", OpKind.Div, x => x[0] / x[1], r.U(a), r.AwayFromZero(b, 0.5, 2));
        Add("Div.leadingBroadcast", OpKind.Div, x => x[0] / x[1], r.U([4]), r.AwayFromZero([2, 3, 4], 0.5, 2));
        Add("Maximum.broadcast", OpKind.Maximum, x => x[0].Maximum(x[1]), r.U(a), r.U(b));
        Add("Minimum.broadcast", OpKind.Minimum, x => x[0].Minimum(x[1]), r.U(a), r.U(b));
        Add("BinaryPow.broadcast", OpKind.BinaryPow, x => x[0].Pow(x[1]), r.U(a, 0.5, 2), r.U(b, -1.5, 2));

        // fused backward kernels (input 0 is a mask/output input, input 1 the upstream gradient)
        Add("ReluBwd", OpKind.ReluBwd, x => Tensor.ReluBwd(x[0], x[1]), r.AwayFromZero(s), r.U(s));
        Add("ReluBwd.broadcast", OpKind.ReluBwd, x => Tensor.ReluBwd(x[0], x[1]), r.AwayFromZero(a), r.U(b));
        Add("LeakyReluBwd", OpKind.LeakyReluBwd, x => Tensor.LeakyReluBwd(x[0], x[1], 0.2), r.AwayFromZero(s), r.U(s));
        Add("TanhBwd", OpKind.TanhBwd, x => Tensor.TanhBwd(x[0], x[1]), r.U(s, -0.9, 0.9), r.U(s));
        Add("TanhBwd.broadcast", OpKind.TanhBwd, x => Tensor.TanhBwd(x[0], x[1]), r.U(a, -0.9, 0.9), r.U(b));
        Add("SigmoidBwd", OpKind.SigmoidBwd, x => Tensor.SigmoidBwd(x[0], x[1]), r.U(s, 0.1, 0.9), r.U(s));
        Add("ClampBwd", OpKind.ClampBwd, x => Tensor.ClampBwd(x[0], x[1], -0.5, 0.5), r.Avoiding(s, -1, 1, 0.05, -0.5, 0.5), r.U(s));
        Add("AbsBwd", OpKind.AbsBwd, x => Tensor.AbsBwd(x[0], x[1]), r.AwayFromZero(s), r.U(s));

        // reductions: single, several adjacent, non-adjacent, negative and all axes, keepDim both ways
        int[] s4 = [2, 3, 2, 3];
        foreach (bool keep in new[] { false, true })
        {
            string k = keep ? ".keepDim" : "";
            Add($"Sum.axis1{k}", OpKind.Sum, x => x[0].Sum([1], keep), r.U(s));
            Add($"Sum.axes01{k}", OpKind.Sum, x => x[0].Sum([0, 1], keep), r.U(s));
            Add($"Sum.axes13.nonAdjacent{k}", OpKind.Sum, x => x[0].Sum([1, 3], keep), r.U(s4));
            Add($"Sum.axes-1,0{k}", OpKind.Sum, x => x[0].Sum([-1, 0], keep), r.U(s));
            Add($"Sum.all{k}", OpKind.Sum, x => x[0].Sum(null, keep), r.U(s));
            Add($"Mean.axis2{k}", OpKind.Mean, x => x[0].Mean(2, keep), r.U(s));
            Add($"Mean.axes02.nonAdjacent{k}", OpKind.Mean, x => x[0].Mean([0, 2], keep), r.U(s4));
            Add($"Mean.all{k}", OpKind.Mean, x => x[0].Mean(null, keep), r.U(s));
            Add($"Max.axis1{k}", OpKind.Max, x => x[0].Max([1], keep), r.Distinct(s));
            Add($"Max.axes03.nonAdjacent{k}", OpKind.Max, x => x[0].Max([0, 3], keep), r.Distinct(s4));
            Add($"Max.all{k}", OpKind.Max, x => x[0].Max(null, keep), r.Distinct(s));
            Add($"Min.axis0{k}", OpKind.Min, x => x[0].Min([0], keep), r.Distinct(s));
            Add($"Min.axes13.nonAdjacent{k}", OpKind.Min, x => x[0].Min([1, 3], keep), r.Distinct(s4));
            Add($"Min.all{k}", OpKind.Min, x => x[0].Min(null, keep), r.Distinct(s));
            Add($"SumSquares.axes12{k}", OpKind.SumSquares, x => x[0].SumSquares([1, 2], keep), r.U(s));
            Add($"SumSquares.axes02.nonAdjacent{k}", OpKind.SumSquares, x => x[0].SumSquares([0, 2], keep), r.U(s));
            Add($"SumSquares.all{k}", OpKind.SumSquares, x => x[0].SumSquares(null, keep), r.U(s));
        }
        Add("Sum.ofPermutedView", OpKind.Sum, x => x[0].Permute(1, 2, 0).Sum([0, 2]), r.U(s));
        Add("Max.ofSlicedView", OpKind.Max, x => x[0].Slice(2, 1, 2).Max([2]), r.Distinct(s));

        // shape and data movement
        Add("Reshape", OpKind.Reshape, x => x[0].Reshape(4, -1), r.U(s));
        Add("Reshape.nonContiguousView", OpKind.Reshape, x => x[0].Permute(2, 0, 1).Reshape(8, 3), r.U(s));
        Add("Reshape.flatten", OpKind.Reshape, x => x[0].Transpose(0, 1).Flatten(1), r.U(s));
        Add("Reshape.unsqueezeSqueeze", OpKind.Reshape, x => x[0].Unsqueeze(1).Square().Squeeze(1), r.U(s));
        Add("Permute", OpKind.Permute, x => x[0].Permute(2, 0, 1), r.U(s));
        Add("Permute.transposeNegativeAxes", OpKind.Permute, x => x[0].Transpose(-1, -3), r.U(s));
        Add("Slice.axis1", OpKind.Slice, x => x[0].Slice(1, 1, 2), r.U(s));
        Add("Slice.ofSlice", OpKind.Slice, x => x[0].Slice(2, 1, 3).Slice(-1, 1, 1), r.U(s));
        Add("Pad.lastAxis", OpKind.Pad, x => x[0].Pad(-1, 2, 3), r.U(s));
        Add("Pad.ofTransposedView", OpKind.Pad, x => x[0].Transpose(0, 2).Pad(1, 0, 2), r.U(s));
        Add("Expand", OpKind.Expand, x => x[0].Expand(2, 3, 5, 4), r.U(a));
        Add("Expand.minusOne", OpKind.Expand, x => x[0].Expand(-1, 3, -1), r.U([2, 1, 4]));
        Add("Cat.axis0", OpKind.Cat, x => Tensor.Cat([x[0], x[1], x[2]], 0), r.U([1, 3, 4]), r.U(s), r.U([3, 3, 4]));
        Add("Cat.axis1", OpKind.Cat, x => Tensor.Cat([x[0], x[1]], 1), r.U([2, 1, 4]), r.U(s));
        Add("Cat.lastAxis.views", OpKind.Cat, x => Tensor.Cat([x[0].Transpose(1, 2), x[1]], -1), r.U([2, 2, 4]), r.U([2, 4, 3]));
        Add("Cat.sameInputTwice", OpKind.Cat, x => Tensor.Cat([x[0], x[0].Square()], 2), r.U(s));
        Add("Cat.stack", OpKind.Cat, x => Tensor.Stack([x[0], x[1]], 1), r.U(s), r.U(s));
        Add("Contiguous", OpKind.Contiguous, x => x[0].Permute(1, 0, 2).Contiguous(), r.U(s));
        Add("Contiguous.alreadyContiguous", OpKind.Contiguous, x => x[0].Contiguous(), r.U(s));
        Add("Cast.identity", OpKind.Cast, x => x[0].To(DType.Float64), r.U(s));
        // float64 → float32 → float64 rounds to float32 (relative 6e-8): a larger step and a loose tolerance
        // a float32 tanh in the middle: the CPU's vectorised tanh and the device's tanhf are each within ~2 ulp, not
        // bitwise equal, so the devices agree to float32 rounding (measured 1e-7 normwise) rather than float64's
        cases.Add(new("Cast.f32RoundTrip", OpKind.Cast, x => x[0].To(DType.Float32).Tanh().To(DType.Float64), [r.U(s)], Step: 1e-2, Tol: 1e-3,
            DeviceTol: 1e-6));

        // phase shuffle (products and squares make the second-order check run through both rules)
        Add("PhaseShuffle.perExample", OpKind.PhaseShuffle, x => Tensor.PhaseShuffle(x[0], [2, -1, 0]) * x[1], r.U([3, 2, 7]), r.U([3, 2, 7]));
        Add("PhaseShuffle.nearLength.square", OpKind.PhaseShuffle, x => Tensor.PhaseShuffle(x[0].Square(), [4, -4]), r.U([2, 3, 5]));
        Add("PhaseShuffle.transposedView", OpKind.PhaseShuffle, x => Tensor.PhaseShuffle(x[0].Transpose(1, 2), [1, -2]) * x[1], r.U([2, 6, 3]), r.U([2, 3, 6]));
        Add("PhaseShuffleBwd", OpKind.PhaseShuffleBwd, x => Tensor.PhaseShuffleBwd(x[0], [2, -3]) * x[1], r.U([2, 3, 6]), r.U([2, 3, 6]));
        Add("PhaseShuffleBwd.nearLength.square", OpKind.PhaseShuffleBwd, x => Tensor.PhaseShuffleBwd(x[0].Square(), [5, -5, 0]), r.U([3, 2, 6]));

        // matrix products
        Add("MatMul.2d", OpKind.MatMul, x => x[0].MatMul(x[1]), r.U([3, 4]), r.U([4, 5]));
        Add("MatMul.3d", OpKind.MatMul, x => x[0].MatMul(x[1]), r.U([2, 3, 4]), r.U([2, 4, 5]));
        Add("MatMul.3dx2d", OpKind.MatMul, x => x[0].MatMul(x[1]), r.U([2, 3, 4]), r.U([4, 5]));
        Add("MatMul.2dx3d", OpKind.MatMul, x => x[0].MatMul(x[1]), r.U([3, 4]), r.U([2, 4, 5]));
        Add("MatMul.batch1x3d", OpKind.MatMul, x => x[0].MatMul(x[1]), r.U([1, 3, 4]), r.U([2, 4, 5]));
        Add("MatMul.transposedViews2d", OpKind.MatMul, x => x[0].T().MatMul(x[1].T()), r.U([4, 3]), r.U([5, 4]));
        Add("MatMul.transposedViews3d", OpKind.MatMul, x => x[0].Transpose(1, 2).MatMul(x[1].Transpose(-1, -2)), r.U([2, 4, 3]), r.U([2, 5, 4]));
        Add("MatMul.permutedBatch", OpKind.MatMul, x => x[0].Permute(1, 0, 2).MatMul(x[1]), r.U([3, 2, 4]), r.U([2, 4, 5]));
        Add("MatMul.slicedOperand", OpKind.MatMul, x => x[0].Slice(1, 1, 3).MatMul(x[1].Slice(2, 2, 5)), r.U([2, 5, 4]), r.U([2, 4, 8]));
        Add("MatMul.vectorShapes", OpKind.MatMul, x => x[0].MatMul(x[1]), r.U([1, 4]), r.U([4, 1]));

        // convolutions
        Add("Conv1d.bias", OpKind.Conv1d, x => Tensor.Conv1d(x[0], x[1], x[2]), r.U([2, 3, 11]), r.U([4, 3, 3]), r.U([4]));
        Add("Conv1d.stride2pad1", OpKind.Conv1d, x => Tensor.Conv1d(x[0], x[1], null, 2, 1), r.U([2, 3, 12]), r.U([2, 3, 4]));
        Add("Conv1d.stride3.unevenLength", OpKind.Conv1d, x => Tensor.Conv1d(x[0], x[1], x[2], 3, 2), r.U([1, 2, 14]), r.U([3, 2, 5]), r.U([3]));
        Add("Conv1d.k25s4p11.bias", OpKind.Conv1d, x => Tensor.Conv1d(x[0], x[1], x[2], 4, 11), r.U([2, 1, 64]), r.U([2, 1, 25], -0.3, 0.3), r.U([2]));
        Add("Conv1d.k25s4p11", OpKind.Conv1d, x => Tensor.Conv1d(x[0], x[1], null, 4, 11), r.U([1, 2, 32]), r.U([2, 2, 25], -0.3, 0.3));
        Add("Conv1d.slicedInput", OpKind.Conv1d, x => Tensor.Conv1d(x[0].Slice(2, 2, 9), x[1].Transpose(0, 1), null, 1, 1), r.U([2, 3, 12]), r.U([3, 2, 3]));
        Add("ConvTranspose1d.outPad1.bias", OpKind.ConvTranspose1d, x => Tensor.ConvTranspose1d(x[0], x[1], x[2], 2, 1, 1), r.U([2, 3, 5]), r.U([3, 2, 4]), r.U([2]));
        Add("ConvTranspose1d.stride1", OpKind.ConvTranspose1d, x => Tensor.ConvTranspose1d(x[0], x[1], null, 1, 0), r.U([2, 2, 6]), r.U([2, 3, 3]));
        Add("ConvTranspose1d.k25s4p11.outPad1", OpKind.ConvTranspose1d, x => Tensor.ConvTranspose1d(x[0], x[1], x[2], 4, 11, 1), r.U([2, 2, 16]), r.U([2, 1, 25], -0.3, 0.3), r.U([1]));
        Add("ConvTranspose1d.stride3pad2.outPad2", OpKind.ConvTranspose1d, x => Tensor.ConvTranspose1d(x[0], x[1], null, 3, 2, 2), r.U([1, 2, 5]), r.U([2, 2, 5]));
        Add("Conv1dWeightGrad", OpKind.Conv1dWeightGrad, x => Tensor.Conv1dWeightGrad(x[0], x[1], 3, 2, 1), r.U([2, 3, 10]), r.U([2, 4, 5]));
        Add("Conv1dWeightGrad.k25s4p11", OpKind.Conv1dWeightGrad, x => Tensor.Conv1dWeightGrad(x[0], x[1], 25, 4, 11), r.U([2, 1, 64]), r.U([2, 2, 16]));
        Add("Conv1dWeightGrad.unevenLength", OpKind.Conv1dWeightGrad, x => Tensor.Conv1dWeightGrad(x[0], x[1], 5, 3, 2), r.U([1, 2, 14]), r.U([1, 3, 5]));

        // fused ops: x + bias kept ≥ 0.1 away from the kink (|x| ≥ 0.2, |bias| ≤ 0.1)
        Add("BiasLeakyRelu.0.2", OpKind.BiasLeakyRelu, x => Tensor.BiasLeakyRelu(x[0], x[1], 0.2), r.AwayFromZero([2, 3, 5]), r.U([3], -0.1, 0.1));
        Add("BiasLeakyRelu.squared", OpKind.BiasLeakyRelu, x => Tensor.BiasLeakyRelu(x[0], x[1], 0.2).Square(), r.AwayFromZero([2, 3, 4]), r.U([3], -0.1, 0.1));
        Add("BiasLeakyRelu.linearShape", OpKind.BiasLeakyRelu, x => Tensor.BiasLeakyRelu(x[0], x[1], 0.01), r.AwayFromZero([4, 3]), r.U([3], -0.1, 0.1));
        Add("BiasLeakyRelu.alpha0.permutedView", OpKind.BiasLeakyRelu, x => Tensor.BiasLeakyRelu(x[0].Permute(1, 0, 2), x[1], 0), r.AwayFromZero([3, 2, 4]), r.U([3], -0.1, 0.1));
        Add("BiasLeakyRelu.afterConv", OpKind.BiasLeakyRelu, x => Tensor.BiasLeakyRelu(Tensor.Conv1d(x[0], x[1], null, 2, 1), x[2], 0.2),
            r.U([2, 2, 9]), r.U([3, 2, 3]), r.U([3], -0.1, 0.1));
        Add("PerExampleNorm", OpKind.PerExampleNorm, x => x[0].PerExampleNorm(1e-12), r.U([3, 2, 4]));
        Add("PerExampleNorm.rank2", OpKind.PerExampleNorm, x => x[0].PerExampleNorm(), r.U([4, 5]));
        Add("PerExampleNorm.rank1", OpKind.PerExampleNorm, x => x[0].PerExampleNorm(0.25), r.AwayFromZero([5]));
        Add("PerExampleNorm.penaltyShape", OpKind.PerExampleNorm, x => (x[0].Transpose(1, 2).PerExampleNorm(1e-12) - 1.0).Square(), r.U([2, 3, 6]));
        return cases;
    }
}
