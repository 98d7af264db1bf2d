using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Nn.Checkpoints;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Training;

/// <summary>Losses and timing of one training iteration.</summary>
public sealed record StepReport(long Step, double DLoss, double GLoss, double Gp, double Wasserstein, double WallSeconds, double StepsPerSecond);

/// <summary>A NaN or infinite loss: training stops and the last good checkpoint stays.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>The GAN training loop: WGAN-GP by default (critic steps per generator step, λ), also WGAN with weight clipping,
/// BCE with label smoothing and hinge; checkpoints with exact resume, fixed-latent samples, metrics and the loss plot.</summary>
public sealed class Trainer : IDisposable
{
    private readonly Stopwatch clock = new();
    private readonly List<string> pendingRows = new();
    private readonly List<double[]> history = new();
    private readonly Tensor fixedZ;
    private readonly int[]? fixedLabels;
    private double wallOffset;
    private readonly int savedThreads;
    private readonly WaveAugment? augment;

    public Trainer(TrainConfig config, ITrainingData data, RunFolder run)
    {
        config.Validate();
        if (data.Length != config.Length) throw new UsageException($"--length {config.Length} differs from the dataset's segment length {data.Length}");
        Config = config;
        Data = data;
        Run = run;
        Device = Device.Parse(config.Device);
        savedThreads = Devices.CpuThreads;
        if (config.Threads > 0) Devices.CpuThreads = config.Threads;
        ulong seed = (ulong)config.Seed;
        InitRng = new RandomStream(seed * 4 + 1);
        ZRng = new RandomStream(seed * 4 + 2);
        GpRng = new RandomStream(seed * 4 + 3);
        ShuffleRng = new RandomStream(seed * 4 + 4);
        AugmentRng = new RandomStream(seed * 4 + 2_000_003);
        augment = WaveAugment.From(config.Augment, AugmentRng);
        using (TensorScope.Suspend())
        {
            (G, D) = ModelFactory.Create(config, data.ClassNames.Count, InitRng, ShuffleRng, Device);
            OptG = MakeOptimizer(G.NamedParameters(), config.LrG);
            OptD = MakeOptimizer(D.NamedParameters(), config.LrD);
            if (config.EmaHalfLife > 0) Ema = new GeneratorEma(G, ModelFactory.CreateGenerator(config, data.ClassNames.Count, Device), config.EmaHalfLife);
            var fixedRng = new RandomStream(seed * 4 + 1_000_003);
            fixedZ = Tensor.Rand([Math.Max(1, config.SampleCount), config.Latent], fixedRng, -1, 1, DType.Float32, Device);
        }
        if (G.NumClasses > 0) fixedLabels = Enumerable.Range(0, fixedZ.Shape[0]).Select(i => i % G.NumClasses).ToArray();
    }

    public TrainConfig Config { get; }

    public ITrainingData Data { get; }

    public RunFolder Run { get; }

    public Device Device { get; }

    public GeneratorModule G { get; }

    public DiscriminatorModule D { get; }

    public Optimizer OptG { get; }

    public Optimizer OptD { get; }

    public RandomStream InitRng { get; }

    public RandomStream ZRng { get; }

    public RandomStream GpRng { get; }

    public RandomStream ShuffleRng { get; }

    public RandomStream AugmentRng { get; }

    /// <summary>The generator's weight average (null without --ema-half-life).</summary>
    public GeneratorEma? Ema { get; }

    /// <summary>Completed iterations.</summary>
    public long Step { get; private set; }

    private Optimizer MakeOptimizer(IEnumerable<(string, Tensor)> ps, double lr) => Config.Optimizer switch
    {
        "rmsprop" => new RmsProp(ps, lr),
        "sgd" => new Sgd(ps, lr),
        _ => new Adam(ps, lr, Config.Beta1, Config.Beta2),
    };

    private Tensor Batch(float[] data, int n) => Tensor.FromArray(data, [n, 1, Config.Length], Device);

    private int[]? RandomLabels(int n)
    {
        if (G.NumClasses == 0) return null;
        using var u = Tensor.Rand([n], ZRng, 0, 1, DType.Float64);
        return u.ToDoubleArray().Select(v => Math.Min(G.NumClasses - 1, (int)(v * G.NumClasses))).ToArray();
    }

    /// <summary>One iteration: <see cref="TrainConfig.DSteps"/> critic updates, then <see cref="TrainConfig.GSteps"/> generator
    /// updates, then the weight average. Every loss is summed over the discriminator's scores (<see cref="GanObjective"/>).</summary>
    public StepReport TrainIteration()
    {
        clock.Start();
        int b = Config.Batch;
        double dLoss = 0, gLoss = 0, gp = 0, wd = 0;
        for (int k = 0; k < Config.DSteps; k++)
        {
            using var scope = TensorScope.Begin();
            var (data, labels) = Data.NextBatch(b);
            int[]? lab = G.NumClasses > 0 ? labels : null;
            var real = Batch(data, b);
            var z = Tensor.Rand([b, Config.Latent], ZRng, -1, 1, DType.Float32, Device);
            Tensor fake;
            using (GradMode.NoGrad()) fake = G.Generate(z, lab);
            OptD.ZeroGrad();
            var dReal = D.Scores(Augmented(real), lab);
            var dFake = D.Scores(Augmented(fake), lab);
            var loss = GanObjective.Critic(Config, dReal, dFake);
            if (Config.Loss == "wgan-gp")
            {
                var pen = GanLosses.GradientPenalty(x => D.Score(x, lab), real, fake, Config.GpLambda, GpRng);
                gp = pen.Item();
                loss = loss + pen;
            }
            else if (Config.R1Gamma > 0 && OptD.StepCount % Config.R1Every == 0)
            {
                var pen = GanLosses.R1Penalty(x => D.Score(Augmented(x), lab), real, Config.R1Gamma * Config.R1Every);
                gp = pen.Item();
                loss = loss + pen;
            }
            loss.Backward();
            OptD.Step();
            if (Config.Loss == "wgan-clip") ClipCritic(Config.Clip);
            dLoss = loss.Item();
            wd = GanObjective.Estimate(dReal, dFake);
        }
        SetRequiresGrad(D, false);
        try
        {
            for (int k = 0; k < Config.GSteps; k++)
            {
                using var scope = TensorScope.Begin();
                var z = Tensor.Rand([b, Config.Latent], ZRng, -1, 1, DType.Float32, Device);
                var lab = RandomLabels(b);
                OptG.ZeroGrad();
                var loss = GanObjective.Generator(Config, D.Scores(Augmented(G.Generate(z, lab)), lab));
                loss.Backward();
                OptG.Step();
                gLoss = loss.Item();
            }
        }
        finally
        {
            SetRequiresGrad(D, true);
        }
        Step++;
        Ema?.Update(Step * (long)b * Config.GSteps, b);
        clock.Stop();
        if (!double.IsFinite(dLoss) || !double.IsFinite(gLoss))
            throw new TrainingDivergedException($"training diverged at step {Step}: D loss {dLoss}, G loss {gLoss}; the last checkpoint is kept (try a lower --lr-d/--lr-g)");
        double wall = wallOffset + clock.Elapsed.TotalSeconds;
        var report = new StepReport(Step, dLoss, gLoss, gp, wd, wall, Step / Math.Max(wall, 1e-9));
        history.Add([Step, dLoss, gLoss, gp, wd]);
        pendingRows.Add(string.Join(',', new[] { Step, wall, dLoss, gLoss, gp, wd, report.StepsPerSecond }
            .Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        return report;
    }

    private Tensor Augmented(Tensor x) => augment is null ? x : augment.Apply(x);

    /// <summary>The generator used for samples and evaluation: the weight average when there is one.</summary>
    public GeneratorModule SamplingGenerator => Ema?.Model ?? G;

    private static void SetRequiresGrad(Nn.Module m, bool on)
    {
        foreach (var p in m.Parameters()) p.RequiresGrad = on;
    }

    private void ClipCritic(double c)
    {
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        foreach (var p in D.Parameters()) p.CopyFrom(p.Clamp(-c, c));
    }

    /// <summary>Writes pending metric rows to metrics.csv.</summary>
    public void FlushMetrics()
    {
        if (pendingRows.Count == 0) return;
        Run.AppendMetrics(pendingRows);
        pendingRows.Clear();
    }

    /// <summary>Writes the fixed-latent samples of the current step as WAV files; returns their folder.</summary>
    public string WriteSamples()
    {
        var dir = Run.SampleDir(Step);
        Directory.CreateDirectory(dir);
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        var sampler = SamplingGenerator;
        sampler.Eval();
        try
        {
            var audio = sampler.Generate(fixedZ, fixedLabels).ToFloatArray();
            int n = fixedZ.Shape[0], len = Config.Length;
            for (int i = 0; i < n; i++)
            {
                string suffix = fixedLabels is null ? "" : "-" + Data.ClassNames[fixedLabels[i]];
                Audio.WavWriter.Write(Path.Combine(dir, $"sample-{i:D2}{suffix}.wav"), audio.AsSpan(i * len, len), Data.SampleRate);
            }
        }
        finally
        {
            if (sampler == G) G.Train();
        }
        return dir;
    }

    private IEnumerable<(string Name, Tensor Value)> CheckpointTensors() =>
        G.StateDict("generator.").Concat(D.StateDict("discriminator."))
            .Concat(OptG.State.Select(s => ("optimizer_g." + s.Name, s.Value)))
            .Concat(OptD.State.Select(s => ("optimizer_d." + s.Name, s.Value)));

    /// <summary>Saves weights + optimizer state (.safetensors, with per-tensor checksums) and trainer state (.json), then moves the latest pointer.</summary>
    public void SaveCheckpoint()
    {
        FlushMetrics();
        try
        {
            SaveCheckpointFiles();
        }
        catch (IOException e) when (AtomicFile.IsDiskFull(e))
        {
            throw new IOException(CheckpointStore.DiskFullMessage(Run, Step, Config.KeepCheckpoints), e);
        }
    }

    private void SaveCheckpointFiles()
    {
        Directory.CreateDirectory(Run.CheckpointDir);
        Safetensors.Save(Run.WeightsPath(Step), CheckpointTensors().Concat(Ema?.Model.StateDict(GeneratorEma.Prefix) ?? []), new Dictionary<string, string>
        {
            ["format"] = "ganaudio-checkpoint-1",
            ["step"] = Step.ToString(CultureInfo.InvariantCulture),
            ["model"] = Config.Model,
        });
        var state = new TrainerState
        {
            Step = Step,
            OptimizerGSteps = OptG.StepCount,
            OptimizerDSteps = OptD.StepCount,
            Random = new()
            {
                ["z"] = [ZRng.Seed, ZRng.Offset],
                ["gp"] = [GpRng.Seed, GpRng.Offset],
                ["shuffle"] = [ShuffleRng.Seed, ShuffleRng.Offset],
                ["init"] = [InitRng.Seed, InitRng.Offset],
                ["augment"] = [AugmentRng.Seed, AugmentRng.Offset],
            },
            DataState = Data.SaveState(),
            ClassNames = Data.ClassNames.ToArray(),
            LossHistory = history,
        };
        AtomicFile.WriteAllText(Run.StatePath(Step), JsonSerializer.Serialize(state, TrainConfig.Json));
        Run.WriteLatest(Step);
        Run.Prune(Config.KeepCheckpoints);
    }

    /// <summary>Loads the newest complete checkpoint that reads and verifies (the latest pointer first), with one warning
    /// line per one skipped; returns its step or null. A checkpoint that does not fit the model is a <see cref="UsageException"/>.</summary>
    public long? Resume(long? requestedStep = null)
    {
        var candidates = requestedStep is { } r ? [r] : CheckpointStore.Candidates(Run);
        foreach (var step in candidates)
        {
            try
            {
                LoadCheckpoint(step);
                return step;
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                if (requestedStep is not null) throw new UsageException($"checkpoint {RunFolder.StepName(step)}: {e.Message}");
                Console.Error.WriteLine($"warning: skipping checkpoint {RunFolder.StepName(step)}: {e.Message}");
            }
        }
        return null;
    }

    private void LoadCheckpoint(long step)
    {
        var state = CheckpointStore.ReadState(Run.StatePath(step));
        var path = Run.WeightsPath(step);
        var tensors = CheckpointStore.ReadTensors(path, Device);
        try
        {
            CheckpointStore.RequireShapes(tensors, CheckpointTensors(), path);
            G.LoadStateDict(tensors, strict: true, prefix: "generator.");
            D.LoadStateDict(tensors, strict: true, prefix: "discriminator.");
            OptG.LoadState(tensors, state.OptimizerGSteps, "optimizer_g.");
            OptD.LoadState(tensors, state.OptimizerDSteps, "optimizer_d.");
            if (Ema is not null)
            {
                if (tensors.Keys.Any(k => k.StartsWith(GeneratorEma.Prefix, StringComparison.Ordinal)))
                    Ema.Model.LoadStateDict(tensors, strict: true, prefix: GeneratorEma.Prefix);
                else Ema.CopyAll();
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        ZRng.Reset(state.Random["z"][0], state.Random["z"][1]);
        GpRng.Reset(state.Random["gp"][0], state.Random["gp"][1]);
        ShuffleRng.Reset(state.Random["shuffle"][0], state.Random["shuffle"][1]);
        InitRng.Reset(state.Random["init"][0], state.Random["init"][1]);
        if (state.Random.TryGetValue("augment", out var a)) AugmentRng.Reset(a[0], a[1]);
        Data.LoadState(state.DataState);
        Step = state.Step;
        history.Clear();
        history.AddRange(state.LossHistory);
        pendingRows.Clear();
        Run.TruncateMetrics(step);
        wallOffset = LastWallTime();
    }

    private double LastWallTime()
    {
        if (!File.Exists(Run.MetricsPath)) return 0;
        var last = File.ReadLines(Run.MetricsPath).Skip(1).LastOrDefault();
        return last is null ? 0 : double.Parse(last.Split(',')[1], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        G.Dispose();
        D.Dispose();
        OptG.Dispose();
        OptD.Dispose();
        Ema?.Dispose();
        fixedZ.Dispose();
        Devices.CpuThreads = savedThreads;
    }
}
