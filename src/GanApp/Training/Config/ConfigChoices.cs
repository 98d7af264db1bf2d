namespace GanAudio.App.Training;

// The values of the configuration's word-valued options, each with the word config.json and the command line use.
// Parsed once (Choice.Parse, the JSON converter); everything after works with these types.

/// <summary>The GAN of a run: <c>--model</c>.</summary>
[Choices("model")]
public enum ModelKind
{
    [Choice("wavegan")] WaveGan,
    [Choice("study-mlp")] StudyMlp,
    [Choice("study-conv")] StudyConv,
}

/// <summary>The loss family: <c>--loss</c>.</summary>
[Choices("loss")]
public enum LossKind
{
    [Choice("wgan-gp")] WganGp,
    [Choice("wgan-clip")] WganClip,
    [Choice("bce")] Bce,
    [Choice("hinge")] Hinge,
}

/// <summary>The optimizer of G and D: <c>--optimizer</c>.</summary>
[Choices("optimizer")]
public enum OptimizerKind
{
    [Choice("adam")] Adam,
    [Choice("rmsprop")] RmsProp,
    [Choice("sgd")] Sgd,
}

/// <summary>How examples are scaled: <c>--normalize</c>.</summary>
[Choices("mode")]
public enum NormalizeMode
{
    [Choice("peak")] Peak,
    [Choice("zscore")] ZScore,
    [Choice("zscore-dataset")] ZScoreDataset,
    [Choice("none")] None,
}

/// <summary>WaveGAN's weight initialisation: <c>--init</c>.</summary>
[Choices("initialisation")]
public enum WeightInit
{
    [Choice("tf")] TensorFlow,
    [Choice("torch")] Torch,
}

/// <summary>A named set of defaults: <c>--preset</c> (see <see cref="Presets"/>).</summary>
[Choices("preset")]
public enum PresetKind
{
    [Choice("wavegan")] WaveGan,
    [Choice("cpu")] Cpu,
}

/// <summary>A differentiable augmentation of D's input: <c>--augment</c> (a list).</summary>
[Choices("augmentation")]
public enum AugmentKind
{
    [Choice("gain")] Gain,
    [Choice("shift")] Shift,
}

/// <summary>What WaveGAN's generator outputs: <c>--generator-output</c>.</summary>
[Choices("output")]
public enum GeneratorOutputKind
{
    [Choice("wave")] Wave,
    [Choice("stft")] Stft,
    [Choice("stft-if")] StftIf,
}

/// <summary>The float32 precision of GEMM and convolution on CUDA: <c>--precision</c>. tf32 lets cuBLAS/cuDNN use TF32
/// tensor cores on sm_80+ (as PyTorch does for convolutions); fp32 keeps full fp32. float64 and the CPU are unaffected.</summary>
[Choices("precision")]
public enum PrecisionKind
{
    [Choice("tf32")] Tf32,
    [Choice("fp32")] Fp32,
}

/// <summary>The Tensor-level setting of a <see cref="PrecisionKind"/>.</summary>
public static class PrecisionKinds
{
    public static Kernels.MathPrecision ToMath(this PrecisionKind p) => p switch
    {
        PrecisionKind.Tf32 => Kernels.MathPrecision.Tf32,
        PrecisionKind.Fp32 => Kernels.MathPrecision.Fp32,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "unknown precision"),
    };
}
