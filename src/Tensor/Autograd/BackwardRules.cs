namespace GanAudio.Tensors.Autograd;

/// <summary>The one table of backward rules. Each rule gets the node and the upstream gradient g (shaped like the
/// node's output) and returns one gradient per input (null = no gradient). Rules are ordinary tensor code, so
/// when the engine runs them with recording on, the gradients are differentiable again (second order).
/// Gradients of broadcast inputs are reduced by <see cref="Tensor.SumToShape"/> in the engine. A rule may return its
/// upstream gradient itself (identities): the engine never writes a gradient in place that another entry holds.
/// Without createGraph the engine adds a Slice's gradient into the input's gradient directly (same sums as this rule).</summary>
internal static class BackwardRules
{
    public delegate Tensor?[] Rule(Node n, Tensor g);

    public static readonly IReadOnlyDictionary<OpKind, Rule> Table = new Dictionary<OpKind, Rule>
    {
        [OpKind.Neg] = (n, g) => [g.Neg()],
        [OpKind.Abs] = (n, g) => [Tensor.AbsBwd(X(n), g)],
        [OpKind.Exp] = (n, g) => [g * Y(n)],
        [OpKind.Log] = (n, g) => [g / X(n)],
        [OpKind.Sqrt] = (n, g) => [g / Y(n) * 0.5],
        [OpKind.Square] = (n, g) => [g * X(n) * 2.0],
        [OpKind.Tanh] = (n, g) => [Tensor.TanhBwd(Y(n), g)],
        [OpKind.Sigmoid] = (n, g) => [Tensor.SigmoidBwd(Y(n), g)],
        [OpKind.Relu] = (n, g) => [Tensor.ReluBwd(X(n), g)],
        [OpKind.LeakyRelu] = (n, g) => [Tensor.LeakyReluBwd(X(n), g, S(n).A)],
        [OpKind.Pow] = (n, g) => [g * X(n).Pow(S(n).A - 1) * S(n).A],
        [OpKind.Clamp] = (n, g) => [Tensor.ClampBwd(X(n), g, S(n).A, S(n).B)],
        [OpKind.AddScalar] = (n, g) => [g], // identity: the upstream gradient itself, no copy
        [OpKind.MulScalar] = (n, g) => [g * S(n).A],
        [OpKind.RSubScalar] = (n, g) => [g.Neg()],
        [OpKind.RDivScalar] = (n, g) => [g * X(n).Square().RDiv(-S(n).A)],
        [OpKind.MaximumScalar] = (n, g) => [g * Mask(X(n), S(n).A, ge: true)],
        [OpKind.MinimumScalar] = (n, g) => [g * Mask(X(n), S(n).A, ge: false)],
        [OpKind.Sin] = (n, g) => [g * X(n).Cos()],
        [OpKind.Cos] = (n, g) => [(g * X(n).Sin()).Neg()],

        [OpKind.Add] = (n, g) => [g, g],
        [OpKind.Sub] = (n, g) => [g, n.Needs(1) ? g.Neg() : null],
        [OpKind.Mul] = (n, g) => [n.Needs(0) ? g * n.Inputs[1] : null, n.Needs(1) ? g * n.Inputs[0] : null],
        [OpKind.Div] = (n, g) => [n.Needs(0) ? g / n.Inputs[1] : null, n.Needs(1) ? (g * Y(n) / n.Inputs[1]).Neg() : null],
        [OpKind.Maximum] = (n, g) => [g * n.Inputs[0].Ge(n.Inputs[1]), g * n.Inputs[1].Gt(n.Inputs[0])],
        [OpKind.Minimum] = (n, g) => [g * n.Inputs[1].Ge(n.Inputs[0]), g * n.Inputs[0].Gt(n.Inputs[1])],
        [OpKind.BinaryPow] = (n, g) => [g * n.Inputs[1] * n.Inputs[0].Pow(n.Inputs[1] - 1.0), g * Y(n) * n.Inputs[0].Log()],

        // fused backward kernels: the derivative w.r.t. the mask input is zero almost everywhere
        [OpKind.ReluBwd] = (n, g) => [null, Tensor.ReluBwd(n.Inputs[0], g)],
        [OpKind.LeakyReluBwd] = (n, g) => [null, Tensor.LeakyReluBwd(n.Inputs[0], g, S(n).A)],
        [OpKind.ClampBwd] = (n, g) => [null, Tensor.ClampBwd(n.Inputs[0], g, S(n).A, S(n).B)],
        [OpKind.AbsBwd] = (n, g) => [null, Tensor.AbsBwd(n.Inputs[0], g)],
        [OpKind.TanhBwd] = (n, g) => [n.Inputs[0] * n.Inputs[1] * g * -2.0, Tensor.TanhBwd(n.Inputs[0], g)],
        [OpKind.SigmoidBwd] = (n, g) => [g * n.Inputs[1] * (n.Inputs[0] * -2.0 + 1.0), Tensor.SigmoidBwd(n.Inputs[0], g)],

        [OpKind.Sum] = (n, g) => [Spread(n, g)],
        [OpKind.Mean] = (n, g) => [Spread(n, g) * (1.0 / Count(n))],
        [OpKind.SumSquares] = (n, g) => [Spread(n, g) * X(n) * 2.0],
        [OpKind.Max] = (n, g) => [ExtremumGrad(n, g)],
        [OpKind.Min] = (n, g) => [ExtremumGrad(n, g)],

        [OpKind.Reshape] = (n, g) => [g.Reshape(((ShapeAttrs)n.Attrs!).Shape)],
        [OpKind.Permute] = (n, g) => [g.Permute(Inverse(((AxesAttrs)n.Attrs!).Axes))],
        [OpKind.Slice] = (n, g) =>
        {
            var a = (SliceAttrs)n.Attrs!;
            return [g.Pad(a.Axis, a.Start, a.Size - a.Start - a.Length)];
        },
        [OpKind.Pad] = (n, g) =>
        {
            var a = (PadAttrs)n.Attrs!;
            return [g.Slice(a.Axis, a.Before, g.Shape[a.Axis] - a.Before - a.After)];
        },
        [OpKind.Expand] = (n, g) => [g.SumToShape(((ShapeAttrs)n.Attrs!).Shape)],
        [OpKind.Contiguous] = (n, g) => [g], // identity: no copy
        [OpKind.Cast] = (n, g) => [g.To(n.Inputs[0].DType)],
        [OpKind.Cat] = (n, g) =>
        {
            var a = (CatAttrs)n.Attrs!;
            var r = new Tensor?[a.Sizes.Length];
            int at = 0;
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = g.Slice(a.Axis, at, a.Sizes[i]);
                at += a.Sizes[i];
            }
            return r;
        },

        [OpKind.PhaseShuffle] = (n, g) => [Tensor.PhaseShuffleBwd(g, ((ShiftAttrs)n.Attrs!).Shifts)],
        [OpKind.PhaseShuffleBwd] = (n, g) => [Tensor.PhaseShuffle(g, ((ShiftAttrs)n.Attrs!).Shifts)],

        [OpKind.MatMul] = (n, g) =>
        {
            var a = n.Inputs[0];
            var b = n.Inputs[1];
            return [n.Needs(0) ? g.MatMul(b.Transpose(-1, -2)) : null, n.Needs(1) ? a.Transpose(-1, -2).MatMul(g) : null];
        },
        [OpKind.Conv1d] = (n, g) =>
        {
            var c = (ConvAttrs)n.Attrs!;
            Tensor x = n.Inputs[0], w = n.Inputs[1];
            var gx = n.Needs(0) ? Tensor.ConvTranspose1dTo(g, w, null, c.Stride, c.Padding, x.Shape[2]) : null;
            var gw = n.Needs(1) ? Tensor.Conv1dWeightGrad(x, g, w.Shape[2], c.Stride, c.Padding) : null;
            return n.Inputs.Length == 3 ? [gx, gw, n.Needs(2) ? g.Sum([0, 2]) : null] : [gx, gw];
        },
        [OpKind.ConvTranspose1d] = (n, g) =>
        {
            var c = (ConvAttrs)n.Attrs!;
            Tensor x = n.Inputs[0], w = n.Inputs[1];
            var gx = n.Needs(0) ? Tensor.Conv1d(g, w, null, c.Stride, c.Padding) : null;
            var gw = n.Needs(1) ? Tensor.Conv1dWeightGrad(g, x, w.Shape[2], c.Stride, c.Padding) : null;
            return n.Inputs.Length == 3 ? [gx, gw, n.Needs(2) ? g.Sum([0, 2]) : null] : [gx, gw];
        },
        [OpKind.Conv1dWeightGrad] = (n, g) =>
        {
            // attrs.OutLength holds the kernel size here; g is shaped like a weight [Cout, Cin, K]
            var c = (ConvAttrs)n.Attrs!;
            Tensor x = n.Inputs[0], gy = n.Inputs[1];
            var gx = n.Needs(0) ? Tensor.ConvTranspose1dTo(gy, g, null, c.Stride, c.Padding, x.Shape[2]) : null;
            var ggy = n.Needs(1) ? Tensor.Conv1d(x, g, null, c.Stride, c.Padding) : null;
            if (ggy is not null && ggy.Shape[2] != gy.Shape[2]) ggy = ggy.Slice(2, 0, gy.Shape[2]);
            return [gx, ggy];
        },

        // fused ops: the mask of leaky ReLU read from the output (sign(y) = sign(x + bias) for α ≥ 0); the norm's
        // gradient x·(g/y) per example
        [OpKind.BiasLeakyRelu] = (n, g) =>
        {
            var gz = Tensor.LeakyReluBwd(Y(n), g, S(n).A);
            var axes = Enumerable.Range(0, gz.Rank).Where(a => a != 1).ToArray();
            return [gz, n.Needs(1) ? gz.Sum(axes) : null];
        },
        [OpKind.PerExampleNorm] = (n, g) =>
        {
            var x = X(n);
            var kept = new int[x.Rank];
            Array.Fill(kept, 1);
            kept[0] = x.Shape[0];
            return [x * (g / Y(n)).Reshape(kept)];
        },
    };

    /// <summary>What a kind's rule reads the data of: a bit per input (bit k = input k) and whether it reads the output.
    /// The other inputs are used for their shape at most. A createGraph pass keeps exactly these of the tensors it
    /// makes alive for the nodes it records; anything not listed reads everything.</summary>
    public static (int Inputs, bool Output) Reads(OpKind kind) => kind switch
    {
        OpKind.Neg or OpKind.AddScalar or OpKind.MulScalar or OpKind.RSubScalar or OpKind.Add or OpKind.Sub or OpKind.Sum or OpKind.Mean
            or OpKind.Reshape or OpKind.Permute or OpKind.Slice or OpKind.Pad or OpKind.Expand or OpKind.Contiguous or OpKind.Cat
            or OpKind.PhaseShuffle or OpKind.PhaseShuffleBwd => (0, false),
        OpKind.Exp or OpKind.Sqrt or OpKind.Tanh or OpKind.Sigmoid or OpKind.BiasLeakyRelu => (0, true),
        OpKind.PerExampleNorm => (1, true),
        OpKind.Abs or OpKind.Log or OpKind.Square or OpKind.Relu or OpKind.LeakyRelu or OpKind.Pow or OpKind.Clamp or OpKind.RDivScalar
            or OpKind.MaximumScalar or OpKind.MinimumScalar or OpKind.Sin or OpKind.Cos or OpKind.SumSquares
            or OpKind.ReluBwd or OpKind.LeakyReluBwd or OpKind.ClampBwd or OpKind.AbsBwd or OpKind.Cast => (1, false),
        OpKind.Max or OpKind.Min => (1, true),
        OpKind.Div => (0b10, true),
        OpKind.Mul or OpKind.Maximum or OpKind.Minimum or OpKind.TanhBwd or OpKind.SigmoidBwd
            or OpKind.MatMul or OpKind.Conv1d or OpKind.ConvTranspose1d or OpKind.Conv1dWeightGrad => (0b11, false),
        _ => (-1, true),
    };

    private static Tensor X(Node n) => n.Inputs[0];

    private static Tensor Y(Node n) => n.Output ?? throw new InvalidOperationException($"{n.Kind}: output released");

    private static ScalarAttrs S(Node n) => (ScalarAttrs)n.Attrs!;

    private static Tensor Mask(Tensor x, double s, bool ge)
    {
        using var sc = Tensor.Full([], s, x.DType, x.Device);
        return ge ? x.Ge(sc) : sc.Ge(x);
    }

    /// <summary>The reduction's upstream gradient broadcast back over the reduced axes (a view, no copy).</summary>
    private static Tensor Spread(Node n, Tensor g)
    {
        var a = (ReduceAttrs)n.Attrs!;
        var kept = Tensor.KeptShape(a.InputShape, a.Axes);
        var gk = a.KeepDim ? g : g.Reshape(kept);
        return gk.Expand(a.InputShape);
    }

    private static double Count(Node n)
    {
        var a = (ReduceAttrs)n.Attrs!;
        double c = 1;
        foreach (int ax in a.Axes) c *= a.InputShape[ax];
        return c;
    }

    private static Tensor ExtremumGrad(Node n, Tensor g)
    {
        var a = (ReduceAttrs)n.Attrs!;
        var kept = Tensor.KeptShape(a.InputShape, a.Axes);
        var y = Y(n);
        var yk = a.KeepDim ? y : y.Reshape(kept);
        var mask = n.Inputs[0].Eq(yk);
        var ties = mask.Sum(a.Axes, keepDim: true);
        return Spread(n, g) * mask / ties;
    }

    private static int[] Inverse(int[] p)
    {
        var inv = new int[p.Length];
        for (int i = 0; i < p.Length; i++) inv[p[i]] = i;
        return inv;
    }
}
