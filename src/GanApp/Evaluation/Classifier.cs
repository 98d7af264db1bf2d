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
    /// <summary>Nets in the ensemble (trained alike from different seeds; their probabilities are averaged). Folders
    /// written before ensembles existed have no such field and hold one net.</summary>
    public int Members { get; init; } = 1;
    /// <summary>Conv net: mel bands averaged into this many before the first layer (0, as in older folders: all bands).</summary>
    public int ConvBands { get; init; }
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
    /// <summary>Training augmentation: the largest mel-band shift (provenance; absent in older folders).</summary>
    public int? MaxBandShift { get; init; }
    /// <summary>Whether the members were bagged by clip (provenance; absent in older folders).</summary>
    public bool? BagClips { get; init; }
    /// <summary>Least optimizer steps per member (0: <see cref="Epochs"/> alone).</summary>
    public int MinSteps { get; init; }
    /// <summary>The setting's name (<see cref="ClassifierSelection.Candidates"/>), null when the options were given by hand.</summary>
    public string? Setting { get; init; }
    /// <summary>Each candidate setting's cross-validated accuracy on the training part, when the setting was chosen so.</summary>
    public Dictionary<string, double>? SelectionScores { get; init; }
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

/// <summary>A trained genre/class classifier: fixed log-mel front end + an ensemble of <see cref="ClassifierNet"/>s (one or
/// more, same architecture, different seeds) whose class probabilities are averaged. The penultimate features (for the
/// Fréchet distance) are those of the first member, so their width does not depend on the ensemble size. Stored as a
/// folder with <c>classifier.safetensors</c> (weights and band statistics; member i's tensors prefixed <c>member{i}.</c>
/// when there are several) and <c>classifier.json</c> (<see cref="ClassifierInfo"/>).</summary>
public sealed class Classifier : IDisposable
{
    public const string WeightsFile = "classifier.safetensors";
    public const string InfoFile = "classifier.json";

    public Classifier(ClassifierInfo info, IReadOnlyList<ClassifierNet> nets)
    {
        if (nets.Count == 0) throw new ArgumentException("a classifier needs at least one net");
        Info = info;
        Nets = nets;
        FrontEnd = new MelFrontEnd(info.FrontEnd);
    }

    public Classifier(ClassifierInfo info, ClassifierNet net) : this(info, [net])
    {
    }

    public ClassifierInfo Info { get; set; }

    /// <summary>The ensemble's members.</summary>
    public IReadOnlyList<ClassifierNet> Nets { get; }

    /// <summary>The first member (whose penultimate layer gives the features).</summary>
    public ClassifierNet Net => Nets[0];

    private static string Prefix(int member, int members) => members == 1 ? "" : $"member{member}.";

    public MelFrontEnd FrontEnd { get; }

    public int SampleRate => Info.FrontEnd.SampleRate;

    public static ClassifierNet CreateNet(ClassifierInfo info, ulong seed) =>
        new(info.FrontEnd.Mels, info.Channels, info.HiddenUnits, info.ClassNames.Length, new RandomStream(seed), info.Architecture, info.StatBands, info.ConvBands);

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var state = Nets.SelectMany((n, i) => n.StateDict(Prefix(i, Nets.Count))).ToList();
        Safetensors.Save(Path.Combine(folder, WeightsFile), state, new Dictionary<string, string> { ["format"] = Info.Format });
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
        if (info.Members < 1) throw new UsageException($"{infoPath}: {info.Members} ensemble members");
        var nets = new List<ClassifierNet>();
        var (tensors, _) = Safetensors.Load(weights);
        try
        {
            for (int i = 0; i < info.Members; i++)
            {
                var net = CreateNet(info, 0);
                nets.Add(net);
                net.LoadStateDict(tensors, prefix: Prefix(i, info.Members));
                net.Eval();
            }
            int expected = nets.Sum(n => n.StateDict().Count);
            if (tensors.Count != expected)
                throw new InvalidDataException($"{tensors.Count} tensors for {info.Members} member(s) of {expected / info.Members}");
        }
        catch (InvalidDataException e)
        {
            foreach (var n in nets) n.Dispose();
            throw new UsageException($"{weights}: {e.Message}");
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return new Classifier(info, nets);
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

    /// <summary>Probabilities (mean over the members) and features (first member's) of log-mels (all of the same frame
    /// count), in batches.</summary>
    public Predictions PredictLogMels(IReadOnlyList<float[]> logMels, int batch = 64) => PredictLogMels(logMels, Nets, batch);

    /// <summary>Predictions of ensemble member <paramref name="member"/> alone.</summary>
    public Predictions PredictMember(IReadOnlyList<float[]> logMels, int member, int batch = 64) => PredictLogMels(logMels, [Nets[member]], batch);

    private Predictions PredictLogMels(IReadOnlyList<float[]> logMels, IReadOnlyList<ClassifierNet> nets, int batch)
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
            var x = Tensor.FromArray(data, [b, mels, frames]);
            for (int j = 0; j < nets.Count; j++)
            {
                var f = nets[j].Features(x);
                var p = ClassifierNet.Softmax(nets[j].Logits(f).ToFloatArray(), b, k);
                if (j == 0)
                {
                    var fa = f.ToFloatArray();
                    for (int i = 0; i < b; i++)
                    {
                        probs[start + i] = p[i];
                        feats[start + i] = fa.AsSpan(i * nets[0].FeatureDim, nets[0].FeatureDim).ToArray();
                    }
                }
                else
                    for (int i = 0; i < b; i++)
                        for (int c = 0; c < k; c++) probs[start + i][c] += p[i][c];
            }
            if (nets.Count > 1)
                for (int i = 0; i < b; i++)
                    for (int c = 0; c < k; c++) probs[start + i][c] /= nets.Count;
        }
        return new Predictions(probs, feats);
    }

    public Predictions Predict(IReadOnlyList<float[]> clips, int sampleRate) => PredictLogMels(LogMels(clips, sampleRate));

    public void Dispose()
    {
        foreach (var n in Nets) n.Dispose();
    }
}
