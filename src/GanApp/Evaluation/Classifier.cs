using System.Text.Json;
using GanAudio.App.Audio;
using GanAudio.App.Training;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Evaluation;

/// <summary>What <c>classifier.json</c> holds: classes, front end, architecture, and how well it did on held-out clips.</summary>
public sealed record ClassifierInfo
{
    public string Format { get; init; } = "ganaudio-classifier-1";
    public string[] ClassNames { get; init; } = [];
    public MelParameters FrontEnd { get; init; } = new();
    /// <summary><see cref="ClassifierNet.Conv"/> or <see cref="ClassifierNet.Stats"/> (folders written before the stats
    /// net existed have no such field and are conv nets).</summary>
    public string Architecture { get; init; } = ClassifierNet.Conv;
    /// <summary>Stats net: mel bands averaged into this many before the per-band statistics.</summary>
    public int StatBands { get; init; } = 16;
    public int[] Channels { get; init; } = [32, 32, 48];
    public int HiddenUnits { get; init; } = 32;
    /// <summary>Samples per training segment (clips of other lengths work: the net pools over time).</summary>
    public int SegmentLength { get; init; } = 16384;
    public string? Data { get; init; }
    public double TrainAccuracy { get; init; }
    /// <summary>Share of held-out segments classified correctly.</summary>
    public double HeldOutAccuracy { get; init; }
    /// <summary>Share of held-out clips classified correctly, each by the mean of its segments' probabilities.</summary>
    public double HeldOutClipAccuracy { get; init; }
    public Dictionary<string, double> HeldOutPerClass { get; init; } = new();
    public int TrainClips { get; init; }
    public int HeldOutClips { get; init; }
    public int TrainSegments { get; init; }
    public int HeldOutSegments { get; init; }
    public string[] HeldOutSources { get; init; } = [];
    public int Epochs { get; init; }
}

/// <summary>Classifier predictions: class probabilities and penultimate features per clip.</summary>
public sealed record Predictions(double[][] Probabilities, float[][] Features)
{
    public int ArgMax(int i)
    {
        var p = Probabilities[i];
        int best = 0;
        for (int c = 1; c < p.Length; c++)
            if (p[c] > p[best]) best = c;
        return best;
    }
}

/// <summary>A trained genre/class classifier: fixed log-mel front end + <see cref="ClassifierNet"/>. Stored as a folder
/// with <c>classifier.safetensors</c> (weights and band statistics) and <c>classifier.json</c> (<see cref="ClassifierInfo"/>).</summary>
public sealed class Classifier : IDisposable
{
    public const string WeightsFile = "classifier.safetensors";
    public const string InfoFile = "classifier.json";

    public Classifier(ClassifierInfo info, ClassifierNet net)
    {
        Info = info;
        Net = net;
        FrontEnd = new MelFrontEnd(info.FrontEnd);
    }

    public ClassifierInfo Info { get; set; }

    public ClassifierNet Net { get; }

    public MelFrontEnd FrontEnd { get; }

    public int SampleRate => Info.FrontEnd.SampleRate;

    public static ClassifierNet CreateNet(ClassifierInfo info, ulong seed) =>
        new(info.FrontEnd.Mels, info.Channels, info.HiddenUnits, info.ClassNames.Length, new Generator(seed), info.Architecture, info.StatBands);

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        Safetensors.Save(Path.Combine(folder, WeightsFile), Net.StateDict(), new Dictionary<string, string> { ["format"] = Info.Format });
        AtomicFile.WriteAllText(Path.Combine(folder, InfoFile), JsonSerializer.Serialize(Info, TrainConfig.Json));
    }

    /// <summary>Loads a classifier folder; a missing or mismatched file is a <see cref="UsageException"/> naming it.</summary>
    public static Classifier Load(string folder)
    {
        string infoPath = Path.Combine(folder, InfoFile), weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(infoPath) || !File.Exists(weights))
            throw new UsageException($"--classifier {folder}: no {InfoFile} + {WeightsFile} there; make one with 'GanApp classifier train'");
        ClassifierInfo info;
        try
        {
            info = JsonSerializer.Deserialize<ClassifierInfo>(File.ReadAllText(infoPath), TrainConfig.Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{infoPath}: not a classifier description ({e.Message.Split('.')[0]})");
        }
        var net = CreateNet(info, 0);
        var (tensors, _) = Safetensors.Load(weights);
        try
        {
            net.LoadStateDict(tensors);
        }
        catch (InvalidDataException e)
        {
            net.Dispose();
            throw new UsageException($"{weights}: {e.Message}");
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        net.Eval();
        return new Classifier(info, net);
    }

    /// <summary>Log-mel of a clip at <paramref name="sampleRate"/> (resampled to the classifier's rate when they differ).</summary>
    public float[] LogMel(float[] clip, int sampleRate)
    {
        var x = sampleRate == SampleRate ? clip : Resampler.Resample(clip, sampleRate, SampleRate);
        return FrontEnd.LogMel(x);
    }

    /// <summary>Log-mels of many clips, in parallel.</summary>
    public float[][] LogMels(IReadOnlyList<float[]> clips, int sampleRate)
    {
        var r = new float[clips.Count][];
        Parallel.For(0, clips.Count, i => r[i] = LogMel(clips[i], sampleRate));
        return r;
    }

    /// <summary>Probabilities and features of log-mels (all of the same frame count), in batches.</summary>
    public Predictions PredictLogMels(IReadOnlyList<float[]> logMels, int batch = 64)
    {
        int n = logMels.Count, k = Info.ClassNames.Length, mels = Info.FrontEnd.Mels;
        var probs = new double[n][];
        var feats = new float[n][];
        using var _ = GradMode.NoGrad();
        for (int start = 0; start < n; start += batch)
        {
            using var scope = TensorScope.Begin();
            int b = Math.Min(batch, n - start), frames = logMels[start].Length / mels;
            var data = new float[b * mels * frames];
            for (int i = 0; i < b; i++)
            {
                if (logMels[start + i].Length != mels * frames) throw new ArgumentException("clips of different lengths in one prediction");
                logMels[start + i].CopyTo(data, i * mels * frames);
            }
            var f = Net.Features(Tensor.FromArray(data, [b, mels, frames]));
            var logits = Net.Logits(f).ToFloatArray();
            var fa = f.ToFloatArray();
            var p = ClassifierNet.Softmax(logits, b, k);
            for (int i = 0; i < b; i++)
            {
                probs[start + i] = p[i];
                feats[start + i] = fa.AsSpan(i * Net.FeatureDim, Net.FeatureDim).ToArray();
            }
        }
        return new Predictions(probs, feats);
    }

    public Predictions Predict(IReadOnlyList<float[]> clips, int sampleRate) => PredictLogMels(LogMels(clips, sampleRate));

    public void Dispose() => Net.Dispose();
}
