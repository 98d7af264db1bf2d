using GanAudio.Nn;
using GanAudio.Nn.Init;
using GanAudio.Tensors;

namespace GanAudio.App.Models;

/// <summary>The original WaveGAN's initialisation (TensorFlow's layer defaults): Glorot/Xavier-uniform weights and zero
/// biases. PyTorch's defaults (kaiming-uniform with a = √5 and uniform biases) shrink the signal by about 12× in variance
/// per transposed-conv + ReLU layer, so after five layers the generator's output is set by its biases and hardly depends
/// on z — the generator then starts (and stays) mode-collapsed.</summary>
public static class WaveGanInit
{
    public static void Apply(Module module, RandomStream gen)
    {
        using var scope = TensorScope.Begin();
        foreach (var (name, p) in module.NamedParameters())
        {
            if (name.StartsWith("embed", StringComparison.Ordinal) || name.StartsWith("project", StringComparison.Ordinal)) continue;
            if (name.EndsWith(".weight", StringComparison.Ordinal) && p.Rank >= 2)
                p.CopyFrom(Initializers.XavierUniform(p.Shape, 1.0, gen, p.DType, p.Device));
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                p.ZeroInPlace();
        }
    }
}
