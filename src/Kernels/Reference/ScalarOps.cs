namespace GanAudio.Kernels.Reference;

/// <summary>Scalar definitions of the elementwise primitives in double precision: the meaning of each op.</summary>
public static class ScalarOps
{
    public static double Unary(UnaryOp op, double x, double a, double b) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Sigmoid => 1.0 / (1.0 + Math.Exp(-x)),
        UnaryOp.Relu => x > 0 ? x : 0.0,
        UnaryOp.LeakyRelu => x > 0 ? x : a * x,
        UnaryOp.Pow => Math.Pow(x, a),
        UnaryOp.Clamp => Math.Min(Math.Max(x, a), b),
        UnaryOp.AddScalar => x + a,
        UnaryOp.MulScalar => x * a,
        UnaryOp.RSubScalar => a - x,
        UnaryOp.RDivScalar => a / x,
        UnaryOp.MaximumScalar => Math.Max(x, a),
        UnaryOp.MinimumScalar => Math.Min(x, a),
        UnaryOp.Sign => x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0,
        UnaryOp.Sin => Math.Sin(x),
        UnaryOp.Cos => Math.Cos(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static double Binary(BinaryOp op, double x, double y, double p0, double p1) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Maximum => Math.Max(x, y),
        BinaryOp.Minimum => Math.Min(x, y),
        BinaryOp.Pow => Math.Pow(x, y),
        BinaryOp.Eq => x == y ? 1.0 : 0.0,
        BinaryOp.Gt => x > y ? 1.0 : 0.0,
        BinaryOp.Ge => x >= y ? 1.0 : 0.0,
        BinaryOp.ReluBwd => x > 0 ? y : 0.0,
        BinaryOp.LeakyReluBwd => x > 0 ? y : p0 * y,
        BinaryOp.TanhBwd => y * (1.0 - x * x),
        BinaryOp.SigmoidBwd => y * x * (1.0 - x),
        BinaryOp.ClampBwd => x >= p0 && x <= p1 ? y : 0.0,
        BinaryOp.AbsBwd => x > 0 ? y : x < 0 ? -y : 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
