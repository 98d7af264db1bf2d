using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanAudio.App.Audio;
using GanAudio.App.Models;
using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Cli;

/// <summary><c>GanApp generate</c>: writes WAV files from a trained run's generator.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var cmd = new Command("generate", "Generate audio clips with a trained run's generator.");
        var runOpt = new Option<string>("--run") { Description = "Run folder (made by GanApp train)", Required = true };
        var ckpt = new Option<string?>("--checkpoint") { Description = "Step number or .safetensors file (default: the latest)" };
        var count = new Option<int>("--count") { Description = "Number of clips", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the latent vectors", DefaultValueFactory = _ => 0 };
        var genre = new Option<string?>("--genre") { Description = "Genre (class) for a conditional model" };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default <run>/generated)" };
        var interp = new Option<bool>("--interpolate") { Description = "Write a latent interpolation from --seed to --seed-to in --count steps" };
        var seedTo = new Option<int?>("--seed-to") { Description = "Second seed for --interpolate (default seed + 1)" };
        var raw = RawWeightsOption();
        var force = new Option<bool>("--force") { Description = "Write into an --out folder that already holds clips (overwriting them)" };
        var precisionOpt = new Option<string?>("--precision") { Description = "float32 GEMM/convolution on CUDA: tf32 or fp32 (default: the run's config.json, tf32 if absent)" };
        foreach (var o in new Option[] { runOpt, ckpt, count, seed, genre, outDir, interp, seedTo, force, raw, precisionOpt }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var run = new RunFolder(parse.GetValue(runOpt)!);
            using var precision = PrecisionScope.Set(PrecisionScope.For(run, parse.GetValue(precisionOpt)));
            int n = parse.GetValue(count);
            if (n < 1 || n > 10000) throw new UsageException($"--count {n}: use 1 to 10000");
            var dir = GenerateOutput.Choose(run, parse.GetValue(outDir), parse.GetValue(force));
            using var runLock = GenerateOutput.IsInside(dir, run.Root) ? RunLock.Acquire(run.Root, "generate") : null;
            using var g = LoadGenerator(run, parse.GetValue(ckpt), out var classes, out int sampleRate, out long step, parse.GetValue(raw));
            int[]? labels = null;
            if (g.NumClasses > 0)
            {
                var name = parse.GetValue(genre);
                int label = name is null ? -1 : Array.IndexOf(classes, name);
                if (name is not null && label < 0) throw new UsageException($"--genre {name}: unknown; this model knows {string.Join(", ", classes)}");
                labels = Enumerable.Range(0, n).Select(i => label >= 0 ? label : i % g.NumClasses).ToArray();
            }
            else if (parse.GetValue(genre) is not null) throw new UsageException("--genre: this model is not conditional (train with --conditional)");
            using var scope = TensorScope.Begin();
            using var _ = GradMode.NoGrad();
            int s0 = parse.GetValue(seed);
            Tensor z;
            if (parse.GetValue(interp))
            {
                var a = Tensor.Rand([1, g.LatentDim], new RandomStream((ulong)s0), -1, 1);
                var b = Tensor.Rand([1, g.LatentDim], new RandomStream((ulong)(parse.GetValue(seedTo) ?? s0 + 1)), -1, 1);
                var t = Tensor.FromArray(Enumerable.Range(0, n).Select(i => n == 1 ? 0f : i / (float)(n - 1)).ToArray(), [n, 1]);
                z = a + (b - a) * t;
            }
            else z = Tensor.Rand([n, g.LatentDim], new RandomStream((ulong)s0), -1, 1);
            var audio = g.Generate(z, labels).ToFloatArray();
            Directory.CreateDirectory(dir);
            int len = g.OutputLength;
            for (int i = 0; i < n; i++)
            {
                string tag = labels is null ? "" : "-" + classes[labels[i]];
                string kind = parse.GetValue(interp) ? "interp" : "clip";
                WavWriter.Write(Path.Combine(dir, $"{kind}-{i:D3}{tag}.wav"), audio.AsSpan(i * len, len), sampleRate);
            }
            Console.WriteLine($"wrote {n} clips of {len} samples at {sampleRate} Hz from step {step} to {dir}");
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>--raw-weights</c>: the generator's own weights instead of their average.</summary>
    public static Option<bool> RawWeightsOption() => new("--raw-weights")
    {
        Description = "Use the generator's trained weights instead of their moving average (runs with --ema-half-life keep both)",
    };

    /// <summary>Builds a run's generator and loads its weights from a checkpoint (the latest by default): the weight
    /// average when the run kept one, unless <paramref name="rawWeights"/>.</summary>
    public static GeneratorModule LoadGenerator(RunFolder run, string? checkpoint, out string[] classes, out int sampleRate, out long step, bool rawWeights = false)
    {
        if (!File.Exists(run.ConfigPath)) throw new UsageException($"--run {run.Root}: no config.json there; is it a run folder?");
        var cfg = TrainConfig.FromJson(File.ReadAllText(run.ConfigPath), run.ConfigPath);
        var device = cfg.Device;
        sampleRate = cfg.SampleRate;
        if (checkpoint is null)
        {
            // the newest checkpoint that loads and verifies, with one warning line per one skipped (as resume does)
            var candidates = CheckpointStore.Candidates(run);
            if (candidates.Count == 0) throw new UsageException($"--run {run.Root}: no checkpoint yet");
            foreach (var s in candidates)
            {
                try
                {
                    step = s;
                    return Load(cfg, run.WeightsPath(s), device, out classes, rawWeights);
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    Console.Error.WriteLine($"warning: skipping checkpoint {RunFolder.StepName(s)}: {e.Message}");
                }
            }
            throw new UsageException($"--run {run.Root}: no checkpoint loads and verifies (steps {CheckpointStore.ListSteps(run)}); see the warnings above");
        }
        string weights;
        if (long.TryParse(checkpoint, NumberStyles.None, CultureInfo.InvariantCulture, out step))
        {
            weights = run.WeightsPath(step);
            if (!File.Exists(weights) || !File.Exists(run.StatePath(step)))
                throw new UsageException($"--checkpoint {checkpoint}: {run.Root} has no complete checkpoint of step {step}; steps there: {CheckpointStore.ListSteps(run)}");
        }
        else
        {
            weights = checkpoint;
            step = -1;
            if (!File.Exists(weights)) throw new UsageException($"--checkpoint {checkpoint}: file not found");
        }
        try
        {
            return Load(cfg, weights, device, out classes, rawWeights);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static GeneratorModule Load(TrainConfig cfg, string weights, Device device, out string[] classes, bool rawWeights)
    {
        var statePath = Path.ChangeExtension(weights, ".json");
        classes = File.Exists(statePath) ? CheckpointStore.ReadState(statePath).ClassNames : [];
        var tensors = CheckpointStore.ReadTensors(weights, device);
        var g = ModelFactory.CreateGenerator(cfg, classes.Length, device);
        try
        {
            // the weight average, when the run kept one, is the generator to sample from
            string prefix = !rawWeights && tensors.Keys.Any(k => k.StartsWith(GeneratorEma.Prefix, StringComparison.Ordinal)) ? GeneratorEma.Prefix : "generator.";
            CheckpointStore.RequireShapes(tensors, g.StateDict(prefix), weights);
            g.LoadStateDict(tensors, strict: true, prefix: prefix);
        }
        catch (Exception e)
        {
            g.Dispose();
            if (e is InvalidDataException) throw new InvalidDataException($"{weights}: {e.Message}", e);
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        g.Eval();
        return g;
    }
}
