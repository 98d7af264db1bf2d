using System.Text.Json;
using System.Text.Json.Serialization;
using GanAudio.Kernels;

namespace GanAudio.App.Training;

/// <summary>Every knob of a training run. Resolved from defaults, an optional JSON file and command-line overrides,
/// and saved as the run folder's <c>config.json</c>. Defaults are WaveGAN's (Donahue et al. 2019).</summary>
public sealed record TrainConfig
{
    // data
    /// <summary>Folder of audio (GTZAN layout or any folder); null = the built-in synthetic tones demo.</summary>
    public string? Data { get; init; }
    public string[]? Genres { get; init; }
    public int SampleRate { get; init; } = 16000;
    /// <summary>Hop between segments in samples (0 = non-overlapping).</summary>
    public int Hop { get; init; }
    /// <summary>Random crops every epoch instead of fixed segments.</summary>
    public bool RandomCrop { get; init; }
    public NormalizeMode Normalize { get; init; } = NormalizeMode.Peak;

    // model
    public ModelKind Model { get; init; } = ModelKind.WaveGan;
    /// <summary>Samples per example (16384 or 65536 for WaveGAN).</summary>
    public int Length { get; init; } = 16384;
    public int ModelSize { get; init; } = 64;
    /// <summary>WaveGAN's discriminator model size (its channels d, 2d, … 16d); 0 = <see cref="ModelSize"/>, as the paper.
    /// The generator and critic need not match: at d = 8 the stft-if generator costs several times the critic.</summary>
    public int DModelSize { get; init; }
    public int Latent { get; init; } = 100;
    public int PhaseShuffle { get; init; } = 2;
    public bool PhaseShufflePerExample { get; init; }
    public bool BatchNorm { get; init; }
    public bool Upsample { get; init; }
    public int PostFilter { get; init; }
    public int HiddenUnits { get; init; } = 256;
    public int HiddenLayers { get; init; } = 2;
    public int ConvLayers { get; init; } = 4;
    public int ExtraLayers { get; init; }
    public int Channels { get; init; } = 64;
    public bool Conditional { get; init; }
    /// <summary>WaveGAN weight initialisation: tf (Glorot-uniform weights, zero biases, as the original code) or torch (PyTorch's defaults).</summary>
    public WeightInit Init { get; init; } = WeightInit.TensorFlow;

    // training
    public LossKind Loss { get; init; } = LossKind.WganGp;
    public double GpLambda { get; init; } = 10;
    /// <summary>WGAN-GP: apply the gradient penalty every k-th critic step with weight λ·k (lazy regularisation, as
    /// StyleGAN2 does for R1); 1 = every step, WaveGAN's.</summary>
    public int GpEvery { get; init; } = 1;
    /// <summary>Discriminator (critic) updates per iteration.</summary>
    public int DSteps { get; init; } = 5;
    /// <summary>Generator updates per iteration (the study used 2 G steps per D step).</summary>
    public int GSteps { get; init; } = 1;
    public double Clip { get; init; } = 0.01;
    /// <summary>Label smoothing for BCE: the real label becomes 1 − s.</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Two-sided smoothing: the fake label becomes s as well.</summary>
    public bool TwoSidedSmoothing { get; init; }
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LrG { get; init; } = 1e-4;
    public double LrD { get; init; } = 1e-4;
    public double Beta1 { get; init; } = 0.5;
    public double Beta2 { get; init; } = 0.9;
    public int Batch { get; init; } = 64;
    /// <summary>Training iterations (each: DSteps critic updates, then GSteps generator updates).</summary>
    public int Steps { get; init; } = 2000;
    public int Seed { get; init; }
    public int SampleEvery { get; init; } = 200;
    public int SampleCount { get; init; } = 8;
    public int CheckpointEvery { get; init; } = 200;
    public int KeepCheckpoints { get; init; } = 5;
    public int LogEvery { get; init; } = 10;
    public Device Device { get; init; } = Device.Cpu;
    /// <summary>CPU threads (0 = all cores).</summary>
    public int Threads { get; init; }
    /// <summary>float32 GEMM/convolution precision on CUDA: tf32 (TF32 tensor cores on sm_80+, the default, as PyTorch's
    /// convolutions) or fp32 (full fp32). Not a model option: it may change on resume. No effect on the CPU.</summary>
    public PrecisionKind Precision { get; init; } = PrecisionKind.Tf32;

    // recipe (issue #11)
    /// <summary>The named set of defaults this run started from: wavegan (the paper's) or cpu (learns in minutes on a
    /// CPU); null in runs made before presets existed.</summary>
    public PresetKind? Preset { get; init; }
    /// <summary>Train for this many minutes of wall-clock time (0 = by --steps only; with both, whichever ends first).</summary>
    public double Minutes { get; init; }
    /// <summary>Half-life of the generator's weight average in examples (0 = no average); see <see cref="GeneratorEma"/>.</summary>
    public double EmaHalfLife { get; init; }
    /// <summary>The average's ramp-up: its half-life is at most this × the examples seen so far (StyleGAN2-ADA's
    /// ema_rampup, 0.05); 0 = the full half-life from the first step.</summary>
    public double EmaRampup { get; init; } = GeneratorEma.DefaultRampUp;
    /// <summary>R1 penalty weight γ on real data (0 = off), applied every <see cref="R1Every"/> critic steps with γ·k.</summary>
    public double R1Gamma { get; init; }
    public int R1Every { get; init; } = 16;
    /// <summary>FFT sizes of spectrogram discriminators added beside the waveform one (empty = none).</summary>
    public int[]? StftDiscriminators { get; init; }
    /// <summary>Channels of each spectrogram discriminator.</summary>
    public int StftChannels { get; init; } = 64;
    /// <summary>Keep the model's waveform discriminator (off = spectrogram discriminators only).</summary>
    public bool WaveDiscriminator { get; init; } = true;
    /// <summary>What WaveGAN's generator outputs: wave (samples through upsampling layers) or stft (short-time spectra at
    /// the frame rate through a fixed inverse STFT; see <see cref="Models.StftGenerator"/>).</summary>
    public GeneratorOutputKind GeneratorOutput { get; init; } = GeneratorOutputKind.Wave;
    /// <summary>FFT size of the stft / stft-if generator's inverse STFT (hop a quarter of it).</summary>
    public int GeneratorFft { get; init; } = Models.StftGenerator.DefaultFft;
    /// <summary>Differentiable augmentations of D's input, real and fake alike: gain, shift.</summary>
    public AugmentKind[]? Augment { get; init; }

    // evaluation during training (issue #6)
    /// <summary>Evaluate the generator every N steps into eval.json (0 = never).</summary>
    public int EvalEvery { get; init; }
    /// <summary>Classifier folder for --eval-every (null = only the classifier-free metrics).</summary>
    public string? EvalClassifier { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new ChoiceJsonConverter(), new DeviceJsonConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a config file; unknown keys and type errors name the file and the key. Keys the file does not
    /// hold keep <paramref name="under"/>'s values (the defaults when null).</summary>
    public static TrainConfig FromJson(string text, string source, TrainConfig? under = null)
    {
        ConfigFileCheck.Check(text, source);
        try
        {
            if (under is null)
                return JsonSerializer.Deserialize<TrainConfig>(text, Json) ?? throw new UsageException($"{source}: empty configuration");
            var node = JsonSerializer.SerializeToNode(under, Json)!.AsObject();
            if (System.Text.Json.Nodes.JsonNode.Parse(text, documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                is not System.Text.Json.Nodes.JsonObject file)
                throw new UsageException($"{source}: expected a JSON object of option names and values");
            foreach (var (key, value) in file.ToList())
            {
                file.Remove(key);
                node[key] = value;
            }
            return node.Deserialize<TrainConfig>(Json) ?? throw new UsageException($"{source}: empty configuration");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source}: {e.Message.Split('.')[0]} (path {e.Path})");
        }
    }

    /// <summary>Whether a config file's text sets <paramref name="key"/>.</summary>
    public static bool Sets(string? text, string key)
    {
        if (text is null) return false;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(text, documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                is System.Text.Json.Nodes.JsonObject o && o.ContainsKey(key);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Checks numbers and combinations (the words were checked when parsed, <see cref="Choice"/>); throws <see cref="UsageException"/> naming the option.</summary>
    public void Validate()
    {
        static void Need(bool ok, string msg)
        {
            if (!ok) throw new UsageException(msg);
        }
        Need(Model != ModelKind.WaveGan || Length is 16384 or 65536, $"--length: WaveGAN makes 16384 or 65536 samples, not {Length}");
        Need(Length >= 16, $"--length: {Length} is too short");
        Need(Batch >= 1, "--batch must be at least 1");
        Need(Steps >= 0, "--steps must be >= 0");
        Need(DSteps >= 1 && GSteps >= 1, "--d-steps and --g-steps must be at least 1");
        Need(ModelSize >= 1 && Latent >= 1, "--model-size and --latent must be at least 1");
        Need(DModelSize >= 0, "--d-model-size must be 0 (the same as --model-size) or at least 1");
        Need(LrG > 0 && LrD > 0, "--lr-g and --lr-d must be positive");
        Need(LabelSmoothing is >= 0 and < 0.5, "--label-smoothing must be in [0, 0.5)");
        Need(SampleRate is >= 1000 and <= 192000, $"--sample-rate {SampleRate} is out of range");
        Need(SampleEvery >= 0 && CheckpointEvery >= 0 && KeepCheckpoints >= 1, "--sample-every/--checkpoint-every must be >= 0 and --keep-checkpoints >= 1");
        Need(PhaseShuffle is >= 0 and <= 16, "--phase-shuffle must be in [0, 16]");
        Need(EvalEvery >= 0, "--eval-every must be >= 0");
        Need(Minutes >= 0, "--minutes must be >= 0");
        Need(EmaHalfLife >= 0, "--ema-half-life must be >= 0 (0 = off)");
        Need(EmaRampup is >= 0 and <= 1, "--ema-rampup must be in [0, 1] (0 = no ramp-up)");
        Need(GpEvery >= 1, "--gp-every must be at least 1 (1 = the penalty every critic step)");
        Need(R1Gamma >= 0 && R1Every >= 1, "--r1-gamma must be >= 0 and --r1-every at least 1");
        foreach (int n in StftDiscriminators ?? [])
            Need(n is >= 16 and <= 8192 && (n & (n - 1)) == 0 && n <= Length, $"--stft-discriminators: {n} must be a power of two from 16 to 8192, at most --length");
        Need(StftChannels >= 1, "--stft-channels must be at least 1");
        Need(WaveDiscriminator || (StftDiscriminators?.Length ?? 0) > 0, "--wave-discriminator false needs at least one --stft-discriminators size");
        Need(GeneratorOutput == GeneratorOutputKind.Wave || Model == ModelKind.WaveGan, "--generator-output stft and stft-if need --model wavegan");
        Need(GeneratorFft is >= 64 and <= 4096 && int.IsPow2(GeneratorFft), $"--generator-fft {GeneratorFft} must be a power of two from 64 to 4096");
        // (WaveGAN's 16384 or 65536 samples are a whole number of frames, 8 × a power of two, for every such FFT)
    }
}

/// <summary>A bad option or configuration: reported as one line with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
