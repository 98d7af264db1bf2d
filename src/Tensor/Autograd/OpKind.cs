namespace GanAudio.Tensors.Autograd;

/// <summary>Every differentiable op. Each has exactly one backward rule in <see cref="BackwardRules"/>; a test checks
/// that every member has a rule and a gradient check.</summary>
public enum OpKind
{
    // unary
    Neg, Abs, Exp, Log, Sqrt, Square, Tanh, Sigmoid, Relu, LeakyRelu, Pow, Clamp,
    AddScalar, MulScalar, RSubScalar, RDivScalar, MaximumScalar, MinimumScalar, Sin, Cos,

    // binary
    Add, Sub, Mul, Div, Maximum, Minimum, BinaryPow,

    // fused backward kernels of unary ops (a = input or output, b = upstream gradient)
    ReluBwd, LeakyReluBwd, TanhBwd, SigmoidBwd, ClampBwd, AbsBwd,

    // reductions
    Sum, Mean, Max, Min, SumSquares,

    // shape and data movement
    Reshape, Permute, Slice, Pad, Expand, Cat, Contiguous, Cast,

    // linear algebra and convolution
    MatMul, Conv1d, ConvTranspose1d, Conv1dWeightGrad,

    // phase shuffle (WaveGAN) and its adjoint, each the other's gradient
    PhaseShuffle, PhaseShuffleBwd,
    // fused ops (Tensor.Fused.cs)
    BiasLeakyRelu, PerExampleNorm,
}
