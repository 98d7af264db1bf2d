using System.Diagnostics;
using GanAudio.App.Data;
using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Training;

/// <summary>Losses and timing of one training iteration.</summary>
public sealed record StepReport(long Step, double DLoss, double GLoss, double Gp, double Wasserstein, double WallSeconds, double StepsPerSecond);

/// <summary>A NaN or infinite loss: training stops and the last good checkpoint stays.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>The GAN training iteration: <see cref="TrainConfig.DSteps"/> critic updates, then <see cref="TrainConfig.GSteps"/>
/// generator updates, then the weight average, with the loss family's losses and regulariser (<see cref="GanObjective"/>).
/// It owns the models, optimizers and random streams; the run's outputs are <see cref="Metrics"/>, <see cref="Samples"/>
/// and <see cref="Checkpoints"/>; <see cref="TrainingSession"/> decides when each is written.</summary>
public sealed class Trainer : IDisposable
{
    private readonly Stopwatch clock = new();
    private double wallOffset;
    private readonly int savedThreads;
    private readonly Kernels.MathPrecision savedPrecision;
    private readonly WaveAugment? augment;
    private readonly GanObjective objective;

    public Trainer(TrainConfig config, ITrainingData data, RunFolder run)
    {
        config.Validate();
        if (data.Length != config.Length) throw new UsageException($"--length {config.Length} differs from the dataset's segment length {data.Length}");
        if (data.BatchSize != config.Batch) throw new ArgumentException($"batch size {config.Batch} differs from the data's {data.BatchSize}");
        Config = config;
        Data = data;
        Run = run;
        Device = config.Device;
        savedThreads = Devices.CpuThreads;
        if (config.Threads > 0) Devices.CpuThreads = config.Threads;
        savedPrecision = Devices.Precision;
        Devices.Precision = config.Precision.ToMath();
        ulong seed = (ulong)config.Seed;
        InitRng = new RandomStream(seed * 4 + 1);
        ZRng = new RandomStream(seed * 4 + 2);
        GpRng = new RandomStream(seed * 4 + 3);
        ShuffleRng = new RandomStream(seed * 4 + 4);
        AugmentRng = new RandomStream(seed * 4 + 2_000_003);
        augment = WaveAugment.From(config.Augment, AugmentRng);
        objective = GanObjective.For(config);
        using (TensorScope.Suspend())
        {
            (G, D) = ModelFactory.Create(config, data.ClassNames.Count, InitRng, ShuffleRng, Device);
            OptG = MakeOptimizer(G.NamedParameters(), config.LrG);
            OptD = MakeOptimizer(D.NamedParameters(), config.LrD);
            if (config.EmaHalfLife > 0) Ema = new GeneratorEma(G, ModelFactory.CreateGenerator(config, data.ClassNames.Count, Device), config.EmaHalfLife);
        }
        Metrics = new MetricsLog(run);
        Samples = new SampleWriter(config, G.NumClasses, data.ClassNames, data.SampleRate, run, Device);
        Checkpoints = new TrainerCheckpoints(this);
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

    /// <summary>metrics.csv and the loss history.</summary>
    public MetricsLog Metrics { get; }

    /// <summary>The fixed-latent samples.</summary>
    public SampleWriter Samples { get; }

    /// <summary>Saving and resuming.</summary>
    public TrainerCheckpoints Checkpoints { get; }

    /// <summary>Completed iterations.</summary>
    public long Step { get; private set; }

    /// <summary>The generator used for samples and evaluation: the weight average when there is one.</summary>
    public GeneratorModule SamplingGenerator => Ema?.Model ?? G;

    /// <summary>Writes the fixed-latent samples of the current step; returns their folder.</summary>
    public string WriteSamples() => Samples.Write(Step, SamplingGenerator, G);

    /// <summary>Back to a checkpoint's step, with the wall-clock seconds the run had used by then.</summary>
    internal void Restore(long step, double wallSeconds)
    {
        Step = step;
        wallOffset = wallSeconds;
    }

    private Optimizer MakeOptimizer(IEnumerable<(string, Tensor)> ps, double lr) => Config.Optimizer switch
    {
        OptimizerKind.RmsProp => new RmsProp(ps, lr),
        OptimizerKind.Sgd => new Sgd(ps, lr),
        _ => new Adam(ps, lr, Config.Beta1, Config.Beta2),
    };

    /// <summary>One iteration: <see cref="TrainConfig.DSteps"/> critic updates, then <see cref="TrainConfig.GSteps"/> generator
    /// updates, then the weight average; the losses go to <see cref="Metrics"/>.</summary>
    public StepReport TrainIteration()
    {
        clock.Start();
        double dLoss = 0, gLoss = 0, gp = 0, wd = 0;
        for (int k = 0; k < Config.DSteps; k++)
        {
            var (loss, penalty, w) = CriticUpdate();
            (dLoss, wd) = (loss, w);
            if (penalty is { } p) gp = p;
        }
        SetRequiresGrad(D, false);
        try
        {
            for (int k = 0; k < Config.GSteps; k++) gLoss = GeneratorUpdate();
        }
        finally
        {
            SetRequiresGrad(D, true);
        }
        Step++;
        Ema?.Update(Step * (long)Config.Batch * Config.GSteps, Config.Batch);
        clock.Stop();
        if (!double.IsFinite(dLoss) || !double.IsFinite(gLoss))
            throw new TrainingDivergedException($"training diverged at step {Step}: D loss {dLoss}, G loss {gLoss}; the last checkpoint is kept (try a lower --lr-d/--lr-g)");
        double wall = wallOffset + clock.Elapsed.TotalSeconds;
        var report = new StepReport(Step, dLoss, gLoss, gp, wd, wall, Step / Math.Max(wall, 1e-9));
        Metrics.Record(report);
        return report;
    }

    /// <summary>One critic update on the next real batch and a fresh fake one: its loss, its regulariser (null when none
    /// ran this update) and the Wasserstein estimate.</summary>
    private (double Loss, double? Penalty, double Wasserstein) CriticUpdate()
    {
        using var scope = TensorScope.Begin();
        int b = Config.Batch;
        var batch = Data.NextBatch();
        int[]? lab = G.NumClasses > 0 ? batch.Labels : null;
        var real = Tensor.FromArray(batch.Data, [b, 1, Config.Length], Device);
        var z = Tensor.Rand([b, Config.Latent], ZRng, -1, 1, DType.Float32, Device);
        Tensor fake;
        using (GradMode.NoGrad()) fake = G.Generate(z, lab);
        OptD.ZeroGrad();
        var dReal = D.Scores(Augmented(real), lab);
        var dFake = D.Scores(Augmented(fake), lab);
        var loss = objective.Critic(dReal, dFake);
        double? penalty = null;
        if (objective.Penalty(new CriticInputs(x => D.Score(x, lab), x => D.Score(Augmented(x), lab), real, fake, OptD.StepCount, GpRng)) is { } pen)
        {
            penalty = pen.Item();
            loss = loss + pen;
        }
        loss.Backward();
        OptD.Step();
        objective.AfterCriticUpdate(D);
        return (loss.Item(), penalty, GanObjective.Estimate(dReal, dFake));
    }

    /// <summary>One generator update through the (frozen) critic; returns its loss.</summary>
    private double GeneratorUpdate()
    {
        using var scope = TensorScope.Begin();
        int b = Config.Batch;
        var z = Tensor.Rand([b, Config.Latent], ZRng, -1, 1, DType.Float32, Device);
        var lab = RandomLabels(b);
        OptG.ZeroGrad();
        var loss = objective.Generator(D.Scores(Augmented(G.Generate(z, lab)), lab));
        loss.Backward();
        OptG.Step();
        return loss.Item();
    }

    private int[]? RandomLabels(int n)
    {
        if (G.NumClasses == 0) return null;
        using var u = Tensor.Rand([n], ZRng, 0, 1, DType.Float64);
        return u.ToDoubleArray().Select(v => Math.Min(G.NumClasses - 1, (int)(v * G.NumClasses))).ToArray();
    }

    private Tensor Augmented(Tensor x) => augment is null ? x : augment.Apply(x);

    private static void SetRequiresGrad(Nn.Module m, bool on)
    {
        foreach (var p in m.Parameters()) p.RequiresGrad = on;
    }

    public void Dispose()
    {
        G.Dispose();
        D.Dispose();
        OptG.Dispose();
        OptD.Dispose();
        Ema?.Dispose();
        Samples.Dispose();
        Devices.CpuThreads = savedThreads;
        Devices.Precision = savedPrecision;
    }
}
