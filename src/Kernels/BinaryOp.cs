namespace GanAudio.Kernels;

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
