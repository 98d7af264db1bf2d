using GanAudio.Tensors;

namespace GanAudio.Nn.Losses;

/// <summary>Classification losses built from differentiable primitives (used by the evaluation classifier).</summary>
public static class ClassificationLosses
{
    /// <summary>Mean cross-entropy of logits [B, K] against integer labels (torch.nn.functional.cross_entropy), through a
    /// max-shifted log-sum-exp.</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] labels)
    {
        int b = logits.Shape[0], k = logits.Shape[1];
        var oneHot = new float[b * k];
        for (int i = 0; i < b; i++) oneHot[i * k + labels[i]] = 1;
        return CrossEntropy(logits, oneHot);
    }

    /// <summary>Mean cross-entropy of logits [B, K] against target distributions (row-major [B, K], rows summing to 1).</summary>
    public static Tensor CrossEntropy(Tensor logits, float[] targets)
    {
        int b = logits.Shape[0], k = logits.Shape[1];
        var m = logits.Max([1], keepDim: true).Detach();
        var lse = (logits - m).Exp().Sum(1, keepDim: true).Log() + m;
        var picked = (logits * Tensor.FromArray(targets, [b, k], logits.Device)).Sum(1, keepDim: true);
        return (lse - picked).Mean();
    }
}
