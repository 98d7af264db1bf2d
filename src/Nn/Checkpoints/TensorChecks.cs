using GanAudio.Tensors;

namespace GanAudio.Nn.Checkpoints;

/// <summary>Checks on loaded checkpoint tensors: every value finite.</summary>
public static class TensorChecks
{
    /// <summary>Throws <see cref="SafetensorsException"/> naming the file, the first tensor with NaN or infinite values and their count.</summary>
    public static void RequireFinite(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            long bad = 0;
            if (t.DType == Kernels.DType.Float32)
            {
                foreach (var v in t.ToFloatArray()) if (!float.IsFinite(v)) bad++;
            }
            else
            {
                foreach (var v in t.ToDoubleArray()) if (!double.IsFinite(v)) bad++;
            }
            if (bad > 0) throw new SafetensorsException($"{path}: tensor '{name}' holds {bad} NaN or infinite values of {t.Numel}; the checkpoint is corrupt");
        }
    }
}
