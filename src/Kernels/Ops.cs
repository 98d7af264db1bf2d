namespace GanAudio.Kernels;

/// <summary>Elementwise unary primitives. Parameters: LeakyRelu(α = a), Pow(p = a), Clamp(min = a, max = b),
/// AddScalar(a), MulScalar(a), RSubScalar(a − x), RDivScalar(a / x), MaximumScalar(a), MinimumScalar(a).
/// Sign and Step (x &gt; 0) have zero derivative and serve backward rules.</summary>
public enum UnaryOp
{
    Neg,
    Abs,
    Exp,
    Log,
    Sqrt,
    Square,
    Tanh,
    Sigmoid,
    Relu,
    LeakyRelu,
    Pow,
    Clamp,
    AddScalar,
    MulScalar,
    RSubScalar,
    RDivScalar,
    MaximumScalar,
    MinimumScalar,
    Sign,
    Sin,
    Cos,
}

/// <summary>Elementwise binary primitives over strided (possibly broadcast) operands.
/// The <c>*Bwd</c> members are the fused backward kernels of unary ops: a = forward input (or output for
/// Tanh/Sigmoid), b = upstream gradient; they write the input gradient. Comparisons return 1 or 0.</summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Maximum,
    Minimum,
    Pow,
    Eq,
    Gt,
    Ge,
    ReluBwd,
    LeakyReluBwd,
    TanhBwd,
    SigmoidBwd,
    ClampBwd,
    AbsBwd,
}

/// <summary>Reductions over the middle axis of a contiguous [outer, n, inner] buffer.</summary>
public enum ReduceOp
{
    Sum,
    Mean,
    Max,
    Min,
    SumSquares,
}
