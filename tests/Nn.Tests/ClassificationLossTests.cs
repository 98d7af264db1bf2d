using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

public class ClassificationLossTests
{
    /// <summary>torch.nn.functional.cross_entropy: mean over rows of log Σ exp(z) − z[label]; soft targets weight each logit;
    /// large logits do not overflow (max-shifted).</summary>
    [Fact]
    public void CrossEntropyIsTheMeanNegativeLogSoftmax()
    {
        float[] z = [2, -1, 0.5f, 300, 299, -5];
        using var scope = TensorScope.Begin();
        var logits = Tensor.FromArray(z, [2, 3]);
        double Row(int r, int label)
        {
            double m = Math.Max(z[3 * r], Math.Max(z[3 * r + 1], z[3 * r + 2]));
            double lse = m + Math.Log(Enumerable.Range(0, 3).Sum(c => Math.Exp(z[3 * r + c] - m)));
            return lse - z[3 * r + label];
        }
        double want = (Row(0, 0) + Row(1, 2)) / 2;
        Assert.Equal(want, ClassificationLosses.CrossEntropy(logits, [0, 2]).Item(), 1e-4);
        double soft = (0.5 * Row(0, 0) + 0.5 * Row(0, 1) + Row(1, 1)) / 2;
        Assert.Equal(soft, ClassificationLosses.CrossEntropy(logits, [0.5f, 0.5f, 0, 0, 1, 0]).Item(), 1e-4);
    }
}
