using GanAudio.Nn;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;

namespace GanAudio.App.Evaluation;

/// <summary>The small net of the evaluation classifier. Input: log-mel [B, mels, frames] (mel bands as channels), first
/// standardised per band (fixed buffers from the training set). Two architectures:
/// <list type="bullet">
/// <item><c>conv</c>: optionally the bands averaged into fewer, wider ones; then Conv1d + LeakyReLU(0.2) layers over time (all but the first with stride 2), then mean over time.</item>
/// <item><c>stats</c>: time-pooled statistics per band: mean, standard deviation and mean absolute frame-to-frame change
/// (spectral flux) of the log-mel, plus, per frame, spectral flatness and the log-energy change, pooled to mean and
/// standard deviation; standardised with fixed buffers from the training set. Such statistics describe timbre and
/// dynamics rather than one piece's notes, so they carry over to unseen clips far better than the conv net.</item>
/// </list>
/// Then a hidden Linear + LeakyReLU (the penultimate features the Fréchet distance uses) and a Linear to class logits.</summary>
public sealed class ClassifierNet : Module
{
    public const string Conv = "conv", Stats = "stats";

    /// <summary>Statistics per band (mean, std, flux) and global frame statistics (flatness mean/std, energy change mean/std).</summary>
    public const int StatsPerBand = 3, GlobalStats = 4;

    private readonly Conv1d[] convs;
    private readonly Linear hidden;
    private readonly Linear output;

    private readonly int statBands;

    /// <param name="statBands">For <c>stats</c>: the mel bands are averaged into this many wider bands (a divisor of
    /// <paramref name="mels"/>) before the per-band statistics, so they describe the spectral envelope rather than one
    /// piece's notes.</param>
    public ClassifierNet(int mels, int[] channels, int hiddenUnits, int classes, RandomStream gen, string architecture = Conv, int statBands = 0,
        int convBands = 0)
    {
        ConvBands = convBands <= 0 ? mels : convBands;
        if (mels % ConvBands != 0) throw new ArgumentException($"{ConvBands} conv bands do not divide {mels} mel bands");
        if (architecture is not (Conv or Stats)) throw new ArgumentException($"unknown classifier architecture '{architecture}' (conv or stats)");
        Architecture = architecture;
        BandMean = RegisterBuffer("band_mean", Tensor.Zeros([mels, 1]));
        BandStd = RegisterBuffer("band_std", Tensor.Ones([mels, 1]));
        int inCh = architecture == Conv ? ConvBands : mels;
        if (architecture == Conv)
        {
            convs = new Conv1d[channels.Length];
            for (int i = 0; i < channels.Length; i++)
            {
                convs[i] = RegisterModule($"conv{i + 1}", new Conv1d(inCh, channels[i], 3, stride: i == 0 ? 1 : 2, padding: 1, gen: gen));
                inCh = channels[i];
            }
        }
        else
        {
            convs = [];
            statBands = statBands <= 0 ? mels : statBands;
            if (mels % statBands != 0) throw new ArgumentException($"{statBands} statistics bands do not divide {mels} mel bands");
            this.statBands = statBands;
            inCh = StatsDim(statBands);
            StatMean = RegisterBuffer("stat_mean", Tensor.Zeros([inCh]));
            StatStd = RegisterBuffer("stat_std", Tensor.Ones([inCh]));
        }
        hidden = RegisterModule("hidden", new Linear(inCh, hiddenUnits, gen: gen));
        output = RegisterModule("output", new Linear(hiddenUnits, classes, gen: gen));
    }

    public string Architecture { get; }

    /// <summary>Conv net: the standardised mel bands are averaged into this many wider bands before the first layer.</summary>
    public int ConvBands { get; }

    public static int StatsDim(int bands) => StatsPerBand * bands + GlobalStats;

    /// <summary>Width of the pooled statistics vector (<c>stats</c> architecture).</summary>
    public int StatsWidth => StatsDim(statBands);

    /// <summary>Mean of the pooled statistics over the training set, [stats] (<c>stats</c> architecture only).</summary>
    public Tensor? StatMean { get; }

    /// <summary>Standard deviation of the pooled statistics over the training set, [stats] (<c>stats</c> only).</summary>
    public Tensor? StatStd { get; }

    /// <summary>Raw (unstandardised) time-pooled statistics [B, stats] of log-mels [B, mels, frames].</summary>
    public Tensor PooledStatistics(Tensor logMel)
    {
        int b = logMel.Shape[0], mels = logMel.Shape[1], frames = logMel.Shape[2];
        var x = (logMel - BandMean) / BandStd;
        if (statBands != mels) x = x.Reshape(b, statBands, mels / statBands, frames).Mean(2);
        var mean = x.Mean(2, keepDim: true);
        var std = ((x - mean).Square().Mean(2) + 1e-4).Sqrt();
        var parts = new List<Tensor> { mean.Squeeze(2), std };
        // spectral flatness per frame: log of geometric over arithmetic mean of the mel powers (natural-log input)
        var m = logMel.Max([1], keepDim: true).Detach();
        var flatness = logMel.Mean(1) - ((logMel - m).Exp().Mean(1, keepDim: true).Log() + m).Squeeze(1); // [B, frames]
        var energy = logMel.Mean(1); // mean log power per frame (≈ log-energy)
        if (frames > 1)
        {
            parts.Add((x.Slice(2, 1, frames - 1) - x.Slice(2, 0, frames - 1)).Abs().Mean(2));
            var de = (energy.Slice(1, 1, frames - 1) - energy.Slice(1, 0, frames - 1)).Abs();
            parts.Add(Tensor.Cat([flatness.Mean(1, keepDim: true), Std(flatness), de.Mean(1, keepDim: true), Std(de)], 1));
        }
        else
        {
            parts.Add(Tensor.Zeros([b, statBands], logMel.DType, logMel.Device)); // one frame: no change to measure
            parts.Add(Tensor.Cat([flatness.Mean(1, keepDim: true), Tensor.Zeros([b, 3], logMel.DType, logMel.Device)], 1));
        }
        return Tensor.Cat(parts, 1);

        static Tensor Std(Tensor v)
        {
            var mu = v.Mean(1, keepDim: true);
            return ((v - mu).Square().Mean(1, keepDim: true) + 1e-6).Sqrt();
        }
    }

    /// <summary>Per-band mean of the training log-mels, [mels, 1].</summary>
    public Tensor BandMean { get; }

    /// <summary>Per-band standard deviation of the training log-mels, [mels, 1].</summary>
    public Tensor BandStd { get; }

    public int FeatureDim => hidden.OutFeatures;

    /// <summary>Penultimate features [B, hidden] of log-mels [B, mels, frames].</summary>
    public Tensor Features(Tensor logMel)
    {
        if (Architecture == Stats) return hidden.Forward((PooledStatistics(logMel) - StatMean!) / StatStd!).LeakyRelu(0.2);
        var x = (logMel - BandMean) / BandStd;
        if (ConvBands != logMel.Shape[1]) x = x.Reshape(x.Shape[0], ConvBands, logMel.Shape[1] / ConvBands, x.Shape[2]).Mean(2);
        foreach (var c in convs) x = c.Forward(x).LeakyRelu(0.2);
        return hidden.Forward(x.Mean(2)).LeakyRelu(0.2);
    }

    public Tensor Logits(Tensor features) => output.Forward(features);

    /// <summary>Class logits [B, classes].</summary>
    public override Tensor Forward(Tensor logMel) => Logits(Features(logMel));

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
