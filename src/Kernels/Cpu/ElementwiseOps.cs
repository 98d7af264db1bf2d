using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

/// <summary>A unary operator for the SIMD driver: scalar and vector forms of one formula.</summary>
internal interface IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    bool Vectorizable { get; }
    T Invoke(T x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>A binary operator for the SIMD driver.</summary>
internal interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    bool Vectorizable { get; }
    T Invoke(T a, T b);
    Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);
    Vector512<T> Invoke(Vector512<T> a, Vector512<T> b);
}

/// <summary>Unary ops whose vector form is simple arithmetic; parameters a and b as on <see cref="UnaryOp"/>.</summary>
internal readonly struct SimpleUnary<T>(UnaryOp op, T a, T b) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Vectorizable => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => T.Abs(x),
        UnaryOp.Sqrt => T.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Relu => x > T.Zero ? x : T.Zero,
        UnaryOp.LeakyRelu => x > T.Zero ? x : a * x,
        UnaryOp.Clamp => T.Min(T.Max(x, a), b),
        UnaryOp.AddScalar => x + a,
        UnaryOp.MulScalar => x * a,
        UnaryOp.RSubScalar => a - x,
        UnaryOp.RDivScalar => a / x,
        UnaryOp.MaximumScalar => T.Max(x, a),
        UnaryOp.MinimumScalar => T.Min(x, a),
        _ => throw new InvalidOperationException(op.ToString()),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Vector256.Abs(x),
        UnaryOp.Sqrt => Vector256.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Relu => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, Vector256<T>.Zero),
        UnaryOp.LeakyRelu => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, x * Vector256.Create(a)),
        UnaryOp.Clamp => Vector256.Min(Vector256.Max(x, Vector256.Create(a)), Vector256.Create(b)),
        UnaryOp.AddScalar => x + Vector256.Create(a),
        UnaryOp.MulScalar => x * Vector256.Create(a),
        UnaryOp.RSubScalar => Vector256.Create(a) - x,
        UnaryOp.RDivScalar => Vector256.Create(a) / x,
        UnaryOp.MaximumScalar => Vector256.Max(x, Vector256.Create(a)),
        UnaryOp.MinimumScalar => Vector256.Min(x, Vector256.Create(a)),
        _ => throw new InvalidOperationException(op.ToString()),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Vector512.Abs(x),
        UnaryOp.Sqrt => Vector512.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Relu => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, Vector512<T>.Zero),
        UnaryOp.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, x * Vector512.Create(a)),
        UnaryOp.Clamp => Vector512.Min(Vector512.Max(x, Vector512.Create(a)), Vector512.Create(b)),
        UnaryOp.AddScalar => x + Vector512.Create(a),
        UnaryOp.MulScalar => x * Vector512.Create(a),
        UnaryOp.RSubScalar => Vector512.Create(a) - x,
        UnaryOp.RDivScalar => Vector512.Create(a) / x,
        UnaryOp.MaximumScalar => Vector512.Max(x, Vector512.Create(a)),
        UnaryOp.MinimumScalar => Vector512.Min(x, Vector512.Create(a)),
        _ => throw new InvalidOperationException(op.ToString()),
    };

    public static bool Supports(UnaryOp op) => op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sqrt or UnaryOp.Square or UnaryOp.Relu
        or UnaryOp.LeakyRelu or UnaryOp.Clamp or UnaryOp.AddScalar or UnaryOp.MulScalar or UnaryOp.RSubScalar
        or UnaryOp.RDivScalar or UnaryOp.MaximumScalar or UnaryOp.MinimumScalar;
}

/// <summary>exp, log, tanh, sigmoid, sin and cos on float32 by <see cref="VectorMath"/>: whole vectors, and single elements (the
/// tail) as lane 0 of a Vector256, so every element gets the same result wherever it falls.</summary>
internal readonly struct VectorMathUnary(UnaryOp op) : IUnaryOperator<float>
{
    public bool Vectorizable => true;

    public static bool Supports(UnaryOp op) => op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.Sin or UnaryOp.Cos;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => Invoke(Vector256.Create(x)).ToScalar();

    /// <summary>The vector sin/cos <paramref name="y"/> of <paramref name="x"/>, with the lanes past the reduction's range
    /// (or not finite) replaced by the runtime's <paramref name="f"/>: each lane's result depends on its own input only,
    /// not on its neighbours or the vector width.</summary>
    private static Vector256<float> FarLanes(Vector256<float> x, Vector256<float> y, Func<float, float> f)
    {
        if (Vector256.LessThanOrEqualAll(Vector256.Abs(x), Vector256.Create(VectorMath.TrigReductionLimit))) return y;
        Span<float> xs = stackalloc float[Vector256<float>.Count], ys = stackalloc float[Vector256<float>.Count];
        x.CopyTo(xs);
        y.CopyTo(ys);
        for (int i = 0; i < xs.Length; i++)
            if (!(MathF.Abs(xs[i]) <= VectorMath.TrigReductionLimit)) ys[i] = f(xs[i]);
        return Vector256.Create<float>(ys);
    }

    /// <summary><see cref="FarLanes(Vector256{float}, Vector256{float}, Func{float, float})"/> on each half.</summary>
    private static Vector512<float> FarLanes(Vector512<float> x, Vector512<float> y, Func<float, float> f) =>
        Vector512.LessThanOrEqualAll(Vector512.Abs(x), Vector512.Create(VectorMath.TrigReductionLimit)) ? y
            : Vector512.Create(FarLanes(x.GetLower(), y.GetLower(), f), FarLanes(x.GetUpper(), y.GetUpper(), f));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => op switch
    {
        UnaryOp.Exp => VectorMath.Exp(x),
        UnaryOp.Log => VectorMath.Log(x),
        UnaryOp.Tanh => VectorMath.Tanh(x),
        UnaryOp.Sigmoid => VectorMath.Sigmoid(x),
        UnaryOp.Sin => FarLanes(x, VectorMath.Sin(x), MathF.Sin),
        UnaryOp.Cos => FarLanes(x, VectorMath.Cos(x), MathF.Cos),
        _ => throw new InvalidOperationException(op.ToString()),
    };


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => op switch
    {
        UnaryOp.Exp => VectorMath.Exp(x),
        UnaryOp.Log => VectorMath.Log(x),
        UnaryOp.Tanh => VectorMath.Tanh(x),
        UnaryOp.Sigmoid => VectorMath.Sigmoid(x),
        UnaryOp.Sin => FarLanes(x, VectorMath.Sin(x), MathF.Sin),
        UnaryOp.Cos => FarLanes(x, VectorMath.Cos(x), MathF.Cos),
        _ => throw new InvalidOperationException(op.ToString()),
    };

}

/// <summary>Transcendental unary ops, evaluated per element with the runtime's math functions (float64, and the float32
/// ops <see cref="VectorMathUnary"/> does not cover).</summary>
internal readonly struct ScalarUnary<T>(UnaryOp op, T a) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Vectorizable => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => op switch
    {
        UnaryOp.Exp => T.Exp(x),
        UnaryOp.Log => T.Log(x),
        UnaryOp.Tanh => T.Tanh(x),
        UnaryOp.Sigmoid => T.One / (T.One + T.Exp(-x)),
        UnaryOp.Pow => T.Pow(x, a),
        UnaryOp.Sign => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero,
        UnaryOp.Sin => T.Sin(x),
        UnaryOp.Cos => T.Cos(x),
        _ => throw new InvalidOperationException(op.ToString()),
    };

    public Vector256<T> Invoke(Vector256<T> x) => throw new NotSupportedException();

    public Vector512<T> Invoke(Vector512<T> x) => throw new NotSupportedException();
}

/// <summary>Every binary op; all have vector forms.</summary>
internal readonly struct BinaryOperator<T>(BinaryOp op, T p0, T p1) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Vectorizable => op != BinaryOp.Pow;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T a, T b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Maximum => T.Max(a, b),
        BinaryOp.Minimum => T.Min(a, b),
        BinaryOp.Pow => T.Pow(a, b),
        BinaryOp.Eq => a == b ? T.One : T.Zero,
        BinaryOp.Gt => a > b ? T.One : T.Zero,
        BinaryOp.Ge => a >= b ? T.One : T.Zero,
        BinaryOp.ReluBwd => a > T.Zero ? b : T.Zero,
        BinaryOp.LeakyReluBwd => a > T.Zero ? b : p0 * b,
        BinaryOp.TanhBwd => b * (T.One - a * a),
        BinaryOp.SigmoidBwd => b * a * (T.One - a),
        BinaryOp.ClampBwd => a >= p0 && a <= p1 ? b : T.Zero,
        BinaryOp.AbsBwd => a > T.Zero ? b : a < T.Zero ? -b : T.Zero,
        _ => throw new InvalidOperationException(op.ToString()),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b)
    {
        var zero = Vector256<T>.Zero;
        var one = Vector256<T>.One;
        return op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.Div => a / b,
            BinaryOp.Maximum => Vector256.Max(a, b),
            BinaryOp.Minimum => Vector256.Min(a, b),
            BinaryOp.Eq => Vector256.ConditionalSelect(Vector256.Equals(a, b), one, zero),
            BinaryOp.Gt => Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), one, zero),
            BinaryOp.Ge => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, b), one, zero),
            BinaryOp.ReluBwd => Vector256.ConditionalSelect(Vector256.GreaterThan(a, zero), b, zero),
            BinaryOp.LeakyReluBwd => Vector256.ConditionalSelect(Vector256.GreaterThan(a, zero), b, b * Vector256.Create(p0)),
            BinaryOp.TanhBwd => b * (one - a * a),
            BinaryOp.SigmoidBwd => b * a * (one - a),
            BinaryOp.ClampBwd => Vector256.ConditionalSelect(
                Vector256.GreaterThanOrEqual(a, Vector256.Create(p0)) & Vector256.LessThanOrEqual(a, Vector256.Create(p1)), b, zero),
            BinaryOp.AbsBwd => Vector256.ConditionalSelect(Vector256.GreaterThan(a, zero), b,
                Vector256.ConditionalSelect(Vector256.LessThan(a, zero), -b, zero)),
            _ => throw new InvalidOperationException(op.ToString()),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b)
    {
        var zero = Vector512<T>.Zero;
        var one = Vector512<T>.One;
        return op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.Div => a / b,
            BinaryOp.Maximum => Vector512.Max(a, b),
            BinaryOp.Minimum => Vector512.Min(a, b),
            BinaryOp.Eq => Vector512.ConditionalSelect(Vector512.Equals(a, b), one, zero),
            BinaryOp.Gt => Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), one, zero),
            BinaryOp.Ge => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a, b), one, zero),
            BinaryOp.ReluBwd => Vector512.ConditionalSelect(Vector512.GreaterThan(a, zero), b, zero),
            BinaryOp.LeakyReluBwd => Vector512.ConditionalSelect(Vector512.GreaterThan(a, zero), b, b * Vector512.Create(p0)),
            BinaryOp.TanhBwd => b * (one - a * a),
            BinaryOp.SigmoidBwd => b * a * (one - a),
            BinaryOp.ClampBwd => Vector512.ConditionalSelect(
                Vector512.GreaterThanOrEqual(a, Vector512.Create(p0)) & Vector512.LessThanOrEqual(a, Vector512.Create(p1)), b, zero),
            BinaryOp.AbsBwd => Vector512.ConditionalSelect(Vector512.GreaterThan(a, zero), b,
                Vector512.ConditionalSelect(Vector512.LessThan(a, zero), -b, zero)),
            _ => throw new InvalidOperationException(op.ToString()),
        };
    }
}
