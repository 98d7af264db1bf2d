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
