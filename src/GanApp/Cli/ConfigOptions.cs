using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using GanAudio.App.Training;

namespace GanAudio.App.Cli;

/// <summary>One command-line option per <see cref="TrainConfig"/> property (kebab-case names), so every knob of a run is
/// both a config-file key and a flag; values given on the command line override the config file.</summary>
public sealed class ConfigOptions
{
    private static readonly Dictionary<string, string> Help = new()
    {
        ["Data"] = "Folder of audio (GTZAN's genres_original/<genre>/… or any folder); omit for the built-in tones demo",
        ["Genres"] = "Genres (sub-folders) to use, e.g. --genres classical",
        ["SampleRate"] = "Resample audio to this rate (Hz)",
        ["Hop"] = "Hop between segments in samples (0 = non-overlapping)",
        ["RandomCrop"] = "Take random crops every epoch instead of fixed segments",
        ["Normalize"] = "peak (to [-1,1]), zscore (per clip), zscore-dataset or none",
        ["Model"] = "wavegan, study-mlp or study-conv",
        ["Length"] = "Samples per example (WaveGAN: 16384 or 65536)",
        ["ModelSize"] = "WaveGAN model size d (channels = multiples of d)",
        ["DModelSize"] = "WaveGAN discriminator's model size (0 = the same as --model-size)",
        ["Latent"] = "Latent size (z ~ U(-1,1)^latent)",
        ["PhaseShuffle"] = "Phase shuffle radius n in the discriminator (0 = off)",
        ["PhaseShufflePerExample"] = "Draw one phase-shuffle shift per example instead of per batch",
        ["BatchNorm"] = "Batch norm between layers",
        ["Upsample"] = "Nearest-neighbour upsample + conv instead of transposed conv",
        ["PostFilter"] = "Length of WaveGAN's learned post-processing filter (e.g. 512; 0 = none)",
        ["HiddenUnits"] = "Study GAN: hidden units per fully connected layer",
        ["HiddenLayers"] = "Study GAN: number of hidden layers",
        ["ConvLayers"] = "Study GAN (conv): stride-4 (de)conv layers",
        ["ExtraLayers"] = "Study GAN (conv): extra stride-1 (de)conv layers",
        ["Channels"] = "Study GAN (conv): base channel count",
        ["Init"] = "WaveGAN initialisation: tf (Glorot-uniform weights, zero biases, as the original) or torch (PyTorch defaults)",
        ["Conditional"] = "Genre-conditional G (label embedding) and D (projection)",
        ["Loss"] = "wgan-gp, wgan-clip, bce or hinge",
        ["GpLambda"] = "Gradient-penalty weight λ",
        ["GpEvery"] = "Apply the gradient penalty every N critic steps with weight λ·N (lazy regularisation; 1 = every step)",
        ["DSteps"] = "Discriminator updates per iteration",
        ["GSteps"] = "Generator updates per iteration",
        ["Clip"] = "Weight clipping bound for wgan-clip",
        ["LabelSmoothing"] = "BCE label smoothing s: real label 1-s",
        ["TwoSidedSmoothing"] = "BCE: fake label s as well",
        ["Optimizer"] = "adam, rmsprop or sgd",
        ["LrG"] = "Generator learning rate",
        ["LrD"] = "Discriminator learning rate",
        ["Beta1"] = "Adam β1",
        ["Beta2"] = "Adam β2",
        ["Batch"] = "Batch size",
        ["Steps"] = "Training iterations",
        ["Seed"] = "Random seed (weights, latents, data order)",
        ["SampleEvery"] = "Write fixed-latent samples every N steps (0 = only at the end)",
        ["SampleCount"] = "Number of fixed-latent samples",
        ["CheckpointEvery"] = "Write a checkpoint every N steps (0 = only at the end)",
        ["KeepCheckpoints"] = "Checkpoints to keep",
        ["LogEvery"] = "Log metrics every N steps",
        ["Device"] = "cpu or cuda[:N]",
        ["Threads"] = "CPU threads (0 = all cores)",
        ["Precision"] = "float32 GEMM/convolution on CUDA: tf32 (TF32 tensor cores on sm_80 and newer) or fp32 (full fp32); no effect on the CPU",
        ["Preset"] = "Start from a named set of defaults: cpu (learns in minutes on a CPU; the default on --device cpu) or wavegan (the paper's settings; the default on CUDA)",
        ["Minutes"] = "Train for this many minutes of wall-clock time (with --steps: whichever comes first)",
        ["EmaHalfLife"] = "Half-life in examples of the generator's weight average used for samples and evaluation (0 = off)",
        ["EmaRampup"] = "Ramp the average's half-life up to at most this × the examples seen (StyleGAN2-ADA's ema_rampup; 0 = full half-life from the start)",
        ["R1Gamma"] = "R1 penalty weight on real data (0 = off); for hinge or bce losses",
        ["R1Every"] = "Apply the R1 penalty every N critic steps (lazy regularisation, weight scaled by N)",
        ["StftDiscriminators"] = "FFT sizes of spectrogram discriminators beside the waveform one, e.g. 512,128 (empty = none)",
        ["StftChannels"] = "Channels of each spectrogram discriminator",
        ["WaveDiscriminator"] = "Keep the waveform discriminator (false = spectrogram discriminators only)",
        ["GeneratorOutput"] = "WaveGAN generator output: wave (upsampling layers to samples) stft (spectra at the frame rate through a fixed inverse STFT) or stft-if (log-magnitude and instantaneous frequency per bin, GANSynth's representation)",
        ["GeneratorFft"] = "FFT size of the stft / stft-if generator (hop a quarter of it): 1024 halves the bin width for lower pitches",
        ["Augment"] = "Differentiable augmentation of real and fake audio for D: gain, shift (comma-separated; empty = none; the cpu preset uses both)",
        ["EvalEvery"] = "Evaluate the generator every N steps into eval.json (0 = off)",
        ["EvalClassifier"] = "Classifier folder (GanApp classifier train) for Inception Score / Fréchet distance during --eval-every",
    };

    private static readonly TrainConfig Defaults = new();

    private readonly List<(PropertyInfo Prop, Option Option)> map = new();

    public ConfigOptions(Command command)
    {
        foreach (var p in typeof(TrainConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            string name = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(p.Name);
            Option opt = p.PropertyType switch
            {
                var t when t == typeof(int) => new Option<int?>(name),
                var t when t == typeof(double) => new Option<double?>(name),
                var t when t == typeof(bool) => new Option<bool?>(name) { Arity = ArgumentArity.ZeroOrOne },
                var t when t == typeof(string) || t == typeof(Kernels.Device) || Choice.IsChoice(Nullable.GetUnderlyingType(t) ?? t) => new Option<string?>(name),
                var t when t.IsArray => new Option<string[]?>(name) { AllowMultipleArgumentsPerToken = true },
                _ => throw new InvalidOperationException($"no option type for {p.PropertyType}"),
            };
            var def = p.GetValue(Defaults);
            string shown = def switch
            {
                null => "",
                bool b => b ? " (default on)" : "",
                string[] a => a.Length == 0 ? "" : $" (default {string.Join(',', a)})",
                int[] a => a.Length == 0 ? "" : $" (default {string.Join(',', a)})",
                Enum e => $" (default {Choice.NameOf(e.GetType(), e)})",
                Kernels.Device d => $" (default {ConfigDevice.Name(d)})",
                IFormattable f => $" (default {f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)})",
                _ => $" (default {def})",
            };
            opt.Description = Help.GetValueOrDefault(p.Name, p.Name) + shown;
            command.Options.Add(opt);
            map.Add((p, opt));
        }
    }

    /// <summary>The option of a <see cref="TrainConfig"/> property.</summary>
    public Option Find(string property) => map.First(m => m.Prop.Name == property).Option;

    /// <summary>The configuration: <paramref name="baseConfig"/> with every option given on the command line applied.</summary>
    public TrainConfig Apply(TrainConfig baseConfig, ParseResult parse)
    {
        var json = JsonSerializer.SerializeToNode(baseConfig, TrainConfig.Json)!.AsObject();
        foreach (var (prop, opt) in map)
        {
            var result = parse.GetResult(opt);
            if (result is null || result.Implicit) continue;
            object? value = opt switch
            {
                Option<int?> o => parse.GetValue(o),
                Option<double?> o => parse.GetValue(o),
                Option<bool?> o => parse.GetValue(o) ?? true,
                Option<string?> o => ParseWord(prop.PropertyType, opt.Name, parse.GetValue(o)),
                Option<string[]?> o when prop.PropertyType == typeof(int[]) => ParseInts(opt.Name, Split(parse.GetValue(o))),
                Option<string[]?> o when prop.PropertyType.GetElementType() is { } e && Choice.IsChoice(e) => ParseWords(e, opt.Name, Split(parse.GetValue(o))),
                Option<string[]?> o => Split(parse.GetValue(o)),
                _ => null,
            };
            json[JsonNamingPolicy.KebabCaseLower.ConvertName(prop.Name)] = JsonSerializer.SerializeToNode(value, TrainConfig.Json);
        }
        return json.Deserialize<TrainConfig>(TrainConfig.Json)!;
    }

    /// <summary>A word-valued option's value, parsed here once: an enum of <see cref="Choice"/> words or a device.</summary>
    private static object? ParseWord(Type type, string option, string? word)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (word is null || t == typeof(string)) return word;
        if (t == typeof(Kernels.Device)) return ConfigDevice.Parse(word);
        return Choice.Parse(t, option, word);
    }

    private static Array? ParseWords(Type element, string option, string[]? words)
    {
        if (words is null) return null;
        var a = Array.CreateInstance(element, words.Length);
        for (int i = 0; i < words.Length; i++) a.SetValue(Choice.Parse(element, option, words[i], list: true), i);
        return a;
    }

    private static string[]? Split(string[]? values) =>
        values?.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static int[]? ParseInts(string option, string[]? values) => values?.Select(v =>
        int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new UsageException($"{option} expects whole numbers (comma-separated), got '{v}'")).ToArray();
}
