using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Evaluation;

/// <summary>The small conv net of the evaluation classifier. Input: log-mel [B, mels, frames] (mel bands as channels).
/// Per-band standardisation (fixed buffers from the training set), Conv1d + LeakyReLU(0.2) layers over time (all but
/// the first with stride 2), mean over time, a hidden Linear + LeakyReLU (the penultimate features the Fréchet distance
/// uses), and a Linear to class logits.</summary>
public sealed class ClassifierNet : Module
{
    private readonly Conv1d[] convs;
    private readonly Linear hidden;
    private readonly Linear output;

    public ClassifierNet(int mels, int[] channels, int hiddenUnits, int classes, Generator gen)
    {
        BandMean = RegisterBuffer("band_mean", Tensor.Zeros([mels, 1]));
        BandStd = RegisterBuffer("band_std", Tensor.Ones([mels, 1]));
        convs = new Conv1d[channels.Length];
        int inCh = mels;
        for (int i = 0; i < channels.Length; i++)
        {
            convs[i] = RegisterModule($"conv{i + 1}", new Conv1d(inCh, channels[i], 3, stride: i == 0 ? 1 : 2, padding: 1, gen: gen));
            inCh = channels[i];
        }
        hidden = RegisterModule("hidden", new Linear(inCh, hiddenUnits, gen: gen));
        output = RegisterModule("output", new Linear(hiddenUnits, classes, gen: gen));
    }

    /// <summary>Per-band mean of the training log-mels, [mels, 1].</summary>
    public Tensor BandMean { get; }

    /// <summary>Per-band standard deviation of the training log-mels, [mels, 1].</summary>
    public Tensor BandStd { get; }

    public int FeatureDim => hidden.OutFeatures;

    /// <summary>Penultimate features [B, hidden] of log-mels [B, mels, frames].</summary>
    public Tensor Features(Tensor logMel)
    {
        var x = (logMel - BandMean) / BandStd;
        foreach (var c in convs) x = c.Forward(x).LeakyRelu(0.2);
        return hidden.Forward(x.Mean(2)).LeakyRelu(0.2);
    }

    public Tensor Logits(Tensor features) => output.Forward(features);

    /// <summary>Class logits [B, classes].</summary>
    public override Tensor Forward(Tensor logMel) => Logits(Features(logMel));

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
        var oneHot = targets;
        var m = logits.Max([1], keepDim: true).Detach();
        var lse = (logits - m).Exp().Sum(1, keepDim: true).Log() + m;
        var picked = (logits * Tensor.FromArray(oneHot, [b, k], logits.Device)).Sum(1, keepDim: true);
        return (lse - picked).Mean();
    }

    /// <summary>Row-wise softmax of logits [B, K] into probabilities (no autograd; for evaluation).</summary>
    public static double[][] Softmax(float[] logits, int b, int k)
    {
        var r = new double[b][];
        for (int i = 0; i < b; i++)
        {
            double max = double.MinValue;
            for (int c = 0; c < k; c++) max = Math.Max(max, logits[i * k + c]);
            var p = new double[k];
            double s = 0;
            for (int c = 0; c < k; c++) s += p[c] = Math.Exp(logits[i * k + c] - max);
            for (int c = 0; c < k; c++) p[c] /= s;
            r[i] = p;
        }
        return r;
    }
}
