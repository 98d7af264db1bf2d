using System.Text;
using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>One float64 input of a gradient check: its values (perturbed in place by the check) and its shape.</summary>
public sealed record GradInput(double[] Data, int[] Shape)
{
    public GradInput Copy() => new((double[])Data.Clone(), (int[])Shape.Clone());
}

/// <summary>Checks analytic gradients (<see cref="Engine.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool, bool?)"/>)
/// of the scalar L(x₁…xₙ) = Σ w ⊙ f(x₁…xₙ), with a fixed random w, against float64 central differences.
/// Every coordinate of small inputs is perturbed (a seeded random subset of large ones), and one random direction
/// that moves all inputs at once checks the Jacobian-vector product as a whole. The error of an input's gradient is
/// normwise: max|analytic − numeric| / max(max|numeric|, max|analytic|, 1e-3).</summary>
public static class GradCheck
{
    /// <summary>Evaluates f on fresh leaf tensors (requiring grad) made from <paramref name="inputs"/>, inside a scope.</summary>
    private static double[] Forward(Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, Device device, out int[] shape)
    {
        using var scope = TensorScope.Begin();
        var xs = Leaves(inputs, device);
        var y = f(xs);
        shape = y.Shape;
        return y.ToDoubleArray();
    }

    private static Tensor[] Leaves(IReadOnlyList<GradInput> inputs, Device device) =>
        inputs.Select(i => Tensor.FromArray(i.Data, i.Shape, device: device).RequireGrad()).ToArray();

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>The analytic gradients of Σ w ⊙ f(x) (zeros where Grad gives null or f does not depend on the inputs).
    /// <paramref name="expectKind"/>, when given, must appear on the recorded tape of f. The leaves live on
    /// <paramref name="device"/> (the CPU when null), and so must the output and every gradient.</summary>
    public static double[][] Analytic(Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, double[] w, OpKind? expectKind = null,
        Device? device = null)
    {
        var dev = device ?? Device.Cpu;
        using var scope = TensorScope.Begin();
        var xs = Leaves(inputs, dev);
        var y = f(xs);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(dev, y.Device);
        if (expectKind is { } k)
        {
            var kinds = TapeKinds(y);
            Assert.True(kinds.Contains(k), $"the case does not record {k}; tape has {string.Join(", ", kinds)}");
        }
        var result = inputs.Select(i => new double[i.Data.Length]).ToArray();
        if (!y.RequiresGrad) return result;
        var wt = Tensor.FromArray(w, y.Shape, device: dev);
        var gs = Engine.Grad([y], xs, [wt]);
        for (int i = 0; i < xs.Length; i++)
        {
            if (gs[i] is not { } g) continue;
            Assert.True(ShapeUtil.SameShape(g.Shape, inputs[i].Shape),
                $"gradient of input {i} has shape {ShapeUtil.Format(g.Shape)}, input has {ShapeUtil.Format(inputs[i].Shape)}");
            Assert.Equal(DType.Float64, g.DType);
            Assert.Equal(dev, g.Device);
            result[i] = g.ToDoubleArray();
        }
        return result;
    }

    /// <summary>The op kinds recorded on the tape that produced <paramref name="y"/>.</summary>
    internal static HashSet<OpKind> TapeKinds(Tensor y)
    {
        var kinds = new HashSet<OpKind>();
        var seen = new HashSet<Node>();
        var stack = new Stack<Tensor>();
        stack.Push(y);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (t.GradFn is not { } n || !seen.Add(n)) continue;
            kinds.Add(n.Kind);
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return kinds;
    }

    /// <summary>Runs the check and fails with a readable report when an input's error exceeds <paramref name="tol"/>.
    /// Forwards, backward and the central differences all run on <paramref name="device"/> (the CPU when null).</summary>
    public static void Check(string name, Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs0, double step = 1e-6, double tol = 1e-6,
        int maxCoords = 160, int seed = 1, OpKind? expectKind = null, Device? device = null)
    {
        var dev = device ?? Device.Cpu;
        var inputs = inputs0.Select(i => i.Copy()).ToList();
        var rng = new Random(seed);
        var y0 = Forward(f, inputs, dev, out _);
        var w = y0.Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var analytic = Analytic(f, inputs, w, expectKind, dev);

        var report = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i].Data;
            var coords = Enumerable.Range(0, x.Length).ToArray();
            if (coords.Length > maxCoords) coords = coords.OrderBy(_ => rng.Next()).Take(maxCoords).Order().ToArray();
            var num = new double[coords.Length];
            for (int c = 0; c < coords.Length; c++)
            {
                int j = coords[c];
                double saved = x[j];
                x[j] = saved + step;
                double lp = Dot(Forward(f, inputs, dev, out _), w);
                x[j] = saved - step;
                double lm = Dot(Forward(f, inputs, dev, out _), w);
                x[j] = saved;
                num[c] = (lp - lm) / (2 * step);
            }
            double maxDiff = 0, scale = 1e-3;
            int at = -1;
            for (int c = 0; c < coords.Length; c++)
            {
                double a = analytic[i][coords[c]], n = num[c];
                scale = Math.Max(scale, Math.Max(Math.Abs(a), Math.Abs(n)));
                if (Math.Abs(a - n) > maxDiff || double.IsNaN(a - n))
                {
                    maxDiff = double.IsNaN(a - n) ? double.PositiveInfinity : Math.Abs(a - n);
                    at = c;
                }
            }
            double err = maxDiff / scale;
            worst = Math.Max(worst, err);
            if (err > tol)
            {
                report.AppendLine($"  input {i} {ShapeUtil.Format(inputs[i].Shape)}: rel err {err:g3} (max |diff| {maxDiff:g3}, scale {scale:g3})");
                int shown = 0;
                for (int c = 0; c < coords.Length && shown < 6; c++)
                {
                    double a = analytic[i][coords[c]], n = num[c];
                    if (!(Math.Abs(a - n) <= tol * scale)) { report.AppendLine($"    [{coords[c]}] analytic {a:g10} numeric {n:g10}"); shown++; }
                }
                if (at >= 0) report.AppendLine($"    worst at [{coords[at]}]");
            }
        }

        // one random direction moving every input at once: ⟨∇L, v⟩ vs (L(x + hv) − L(x − hv)) / 2h
        var dirs = inputs.Select(i => i.Data.Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
        double jvp = 0, jvpScale = 1e-3;
        for (int i = 0; i < inputs.Count; i++)
            for (int j = 0; j < dirs[i].Length; j++)
            {
                jvp += analytic[i][j] * dirs[i][j];
                jvpScale += Math.Abs(analytic[i][j] * dirs[i][j]);
            }
        var saves = inputs.Select(i => (double[])i.Data.Clone()).ToArray();
        Shift(inputs, saves, dirs, step);
        double lpd = Dot(Forward(f, inputs, dev, out _), w);
        Shift(inputs, saves, dirs, -step);
        double lmd = Dot(Forward(f, inputs, dev, out _), w);
        for (int i = 0; i < inputs.Count; i++) Array.Copy(saves[i], inputs[i].Data, saves[i].Length);
        double numJvp = (lpd - lmd) / (2 * step);
        double jvpErr = Math.Abs(jvp - numJvp) / Math.Max(jvpScale, Math.Abs(numJvp));
        if (!(jvpErr <= tol)) report.AppendLine($"  random direction: analytic {jvp:g10} numeric {numJvp:g10} rel err {jvpErr:g3}");

        Assert.True(report.Length == 0, $"gradient check '{name}' failed (tol {tol:g3}, step {step:g3}):\n{report}");
    }

    private static void Shift(List<GradInput> inputs, double[][] saves, double[][] dirs, double h)
    {
        for (int i = 0; i < inputs.Count; i++)
            for (int j = 0; j < saves[i].Length; j++) inputs[i].Data[j] = saves[i][j] + h * dirs[i][j];
    }

    /// <summary>f's gradient as a function: Σᵢ Σ uᵢ ⊙ ∂(Σ w ⊙ f)/∂xᵢ, recorded with createGraph so that it can be
    /// gradient-checked in turn (a second-order check of every backward rule f uses). Its constants live on
    /// <paramref name="device"/> (the CPU when null), where the returned function's inputs must be.</summary>
    public static Func<Tensor[], Tensor> GradientFunction(Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, int seed = 7, Device? device = null)
    {
        var dev = device ?? Device.Cpu;
        var rng = new Random(seed);
        var y0 = Forward(f, inputs, dev, out var yShape);
        var w = y0.Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var us = inputs.Select(i => i.Data.Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
        return xs =>
        {
            var y = f(xs);
            Tensor? total = null;
            if (y.RequiresGrad)
            {
                var gs = Engine.Grad([y], xs, [Tensor.FromArray(w, yShape, device: dev)], createGraph: true);
                for (int i = 0; i < xs.Length; i++)
                {
                    if (gs[i] is not { } g) continue;
                    var term = (g * Tensor.FromArray(us[i], inputs[i].Shape, device: dev)).Sum();
                    total = total is null ? term : total + term;
                }
            }
            return total ?? Tensor.Scalar(0, DType.Float64, dev);
        };
    }
}

/// <summary>Seeded float64 test inputs.</summary>
public sealed class Inputs(int seed)
{
    private readonly Random rng = new(seed);

    /// <summary>Uniform in [lo, hi).</summary>
    public GradInput U(int[] shape, double lo = -1, double hi = 1) =>
        new(Enumerable.Range(0, ShapeUtil.Numel(shape)).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray(), shape);

    /// <summary>Magnitude in [min, max] with a random sign: away from the kink at 0.</summary>
    public GradInput AwayFromZero(int[] shape, double min = 0.2, double max = 1.5) =>
        new(Enumerable.Range(0, ShapeUtil.Numel(shape)).Select(_ => (rng.Next(2) == 0 ? -1 : 1) * (min + (max - min) * rng.NextDouble())).ToArray(), shape);

    /// <summary>Uniform in [lo, hi) but at least <paramref name="gap"/> away from each of <paramref name="avoid"/>.</summary>
    public GradInput Avoiding(int[] shape, double lo, double hi, double gap, params double[] avoid)
    {
        var d = new double[ShapeUtil.Numel(shape)];
        for (int i = 0; i < d.Length; i++)
        {
            double v;
            do v = lo + (hi - lo) * rng.NextDouble();
            while (avoid.Any(a => Math.Abs(v - a) < gap));
            d[i] = v;
        }
        return new GradInput(d, shape);
    }

    /// <summary>A random permutation of evenly spaced values (distinct, no ties, spacing ≥ 0.05).</summary>
    public GradInput Distinct(int[] shape)
    {
        int n = ShapeUtil.Numel(shape);
        var d = Enumerable.Range(0, n).Select(i => -1 + 2.0 * i / Math.Max(n - 1, 1)).OrderBy(_ => rng.Next()).ToArray();
        return new GradInput(d, shape);
    }
}
