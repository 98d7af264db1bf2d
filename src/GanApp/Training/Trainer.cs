using System.Diagnostics;
using GanAudio.App.Data;
using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Training;

/// <summary>Losses and timing of one training iteration (read back from the device by <see cref="Trainer.ReadLosses"/>).
/// <see cref="WallSeconds"/> is the host's clock when the iteration was issued: on an asynchronous device the queued work
/// is waited for at the next read, which the following iteration's time includes.</summary>
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
    private BatchPrefetcher? batches;
    private LossRows? rows;
    private readonly List<(long Step, double Wall)> pending = new();

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
            if (config.EmaHalfLife > 0) Ema = new GeneratorEma(G, ModelFactory.CreateGenerator(config, data.ClassNames.Count, Device), config.EmaHalfLife, config.EmaRampup);
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
        rows?.Clear();
        pending.Clear();
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
    /// updates, then the weight average. The iteration's losses, regulariser and Wasserstein terms stay on the device (one
    /// row of <see cref="LossRows"/>): nothing here waits for the device. <see cref="ReadLosses"/> brings them to the host,
    /// into <see cref="Metrics"/>, with the non-finite check; it runs by itself when the rows are full (every
    /// <see cref="ReadEvery"/> iterations), and <see cref="TrainingSession"/> calls it at each log, sample, evaluation and
    /// checkpoint step and at the end.</summary>
    public void TrainIteration()
    {
        clock.Start();
        try
        {
            for (int k = 0; k < Config.DSteps; k++) CriticUpdate(last: k == Config.DSteps - 1);
            SetRequiresGrad(D, false);
            try
            {
                for (int k = 0; k < Config.GSteps; k++) GeneratorUpdate(last: k == Config.GSteps - 1);
            }
            finally
            {
                SetRequiresGrad(D, true);
            }
            Step++;
            Ema?.Update(Step * (long)Config.Batch * Config.GSteps, Config.Batch);
            Rows.EndRow();
            pending.Add((Step, wallOffset + clock.Elapsed.TotalSeconds));
        }
        finally
        {
            clock.Stop();
        }
        if (Rows.Full) ReadLosses();
    }

    /// <summary>Iterations whose losses may wait on the device before the trainer reads them itself: --log-every (so a
    /// run reads once per log interval), or <see cref="DefaultReadEvery"/> when logging is off.</summary>
    public int ReadEvery => Config.LogEvery > 0 ? Config.LogEvery : DefaultReadEvery;

    public const int DefaultReadEvery = 100;

    /// <summary>Iterations trained whose losses are still on the device.</summary>
    public int PendingSteps => pending.Count;

    /// <summary>The newest iteration read back (null before the first read).</summary>
    public StepReport? LastReport { get; private set; }

    /// <summary>Reads the losses of every iteration since the last read in one download (one host synchronisation),
    /// checks each iteration in order and records it in <see cref="Metrics"/>; returns their reports (empty when none is
    /// pending). A NaN or infinite critic or generator loss throws <see cref="TrainingDivergedException"/> naming the first
    /// bad iteration, after the iterations before it are recorded; it and the ones after are dropped.</summary>
    public IReadOnlyList<StepReport> ReadLosses()
    {
        if (pending.Count == 0) return [];
        clock.Start();
        double[] v;
        try
        {
            v = Rows.Read();
        }
        finally
        {
            clock.Stop();
        }
        var steps = pending.ToArray();
        pending.Clear();
        var reports = new List<StepReport>(steps.Length);
        int k = Rows.Columns;
        for (int i = 0; i < steps.Length; i++)
        {
            var row = v.AsSpan(i * k, k);
            var (step, wall) = steps[i];
            double dLoss = row[ColD], gLoss = row[ColG];
            if (!double.IsFinite(dLoss) || !double.IsFinite(gLoss))
                throw new TrainingDivergedException($"training diverged at step {step}: D loss {dLoss}, G loss {gLoss}; the last checkpoint is kept (try a lower --lr-d/--lr-g)");
            var report = new StepReport(step, dLoss, gLoss, row[ColGp], GanObjective.Estimate(row[ColTerms..]), wall, step / Math.Max(wall, 1e-9));
            Metrics.Record(report);
            reports.Add(report);
            LastReport = report;
        }
        return reports;
    }

    /// <summary>The columns of an iteration's row: critic loss, generator loss, penalty, then E[D(real)] and E[D(fake)] of
    /// each discriminator score.</summary>
    private const int ColD = 0, ColG = 1, ColGp = 2, ColTerms = 3;

    /// <summary>The device rows, made at the first critic update, when the number of discriminator scores is known.</summary>
    private LossRows Rows => rows ?? throw new InvalidOperationException("no iteration has run");

    /// <summary>One critic update on the next real batch and a fresh fake one. Its regulariser (when one runs) goes to the
    /// iteration's row; on the <paramref name="last"/> update of the iteration also its loss and the Wasserstein terms.</summary>
    private void CriticUpdate(bool last)
    {
        using var scope = TensorScope.Begin();
        int b = Config.Batch;
        var (batch, real) = (batches ??= new BatchPrefetcher(Data, Device)).Next();
        int[]? lab = G.NumClasses > 0 ? batch.Labels : null;
        var z = Tensor.Rand([b, Config.Latent], ZRng, -1, 1, DType.Float32, Device);
        // each forward pass in a graph scope: its intermediates are freed when its end (no grad) or the backward pass
        // (the rest) is done with them, not with the step's scope
        Tensor fake;
        using (GradMode.NoGrad()) fake = GraphScope.Run(() => G.Generate(z, lab));
        OptD.ZeroGrad();
        var dReal = GraphScope.Run(() => D.Scores(Augmented(real), lab));
        var dFake = GraphScope.Run(() => D.Scores(Augmented(fake), lab));
        rows ??= new LossRows(ReadEvery, ColTerms + 2 * dReal.Count, Device);
        var loss = objective.Critic(dReal, dFake);
        if (objective.Penalty(new CriticInputs(x => GraphScope.Run(() => D.Score(x, lab)), x => GraphScope.Run(() => D.Score(Augmented(x), lab)), real, fake, OptD.StepCount, GpRng)) is { } pen)
        {
            // the penalty of the iteration's last critic update that ran one (lazy regularisers skip some), else 0
            Rows.Write(ColGp, pen);
            loss = loss + pen;
        }
        loss.Backward();
        OptD.Step();
        // the gradients are done with: free them now rather than at the next ZeroGrad, so they do not hold the caching
        // allocator's blocks through the generator's phase (kept, they made the second iteration ask the driver for
        // memory again: the blocks its temporaries had used in the first were taken)
        OptD.ZeroGrad();
        objective.AfterCriticUpdate(D);
        if (!last) return;
        Rows.Write(ColD, loss);
        var terms = GanObjective.EstimateTerms(dReal, dFake);
        for (int i = 0; i < terms.Count; i++) Rows.Write(ColTerms + i, terms[i]);
    }

    /// <summary>One generator update through the (frozen) critic; the <paramref name="last"/> one of the iteration writes
    /// its loss to the iteration's row.</summary>
    private void GeneratorUpdate(bool last)
    {
        using var scope = TensorScope.Begin();
        int b = Config.Batch;
        var z = Tensor.Rand([b, Config.Latent], ZRng, -1, 1, DType.Float32, Device);
        var lab = RandomLabels(b);
        OptG.ZeroGrad();
        var loss = objective.Generator(GraphScope.Run(() => D.Scores(Augmented(G.Generate(z, lab)), lab)));
        loss.Backward();
        OptG.Step();
        OptG.ZeroGrad();  // freed now, as in the critic update
        if (last) Rows.Write(ColG, loss);
    }

    private int[]? RandomLabels(int n)
    {
        if (G.NumClasses == 0) return null;
        // drawn on the CPU (a host stream, no device read)
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
        batches?.Dispose();
        rows?.Dispose();
        Devices.CpuThreads = savedThreads;
        Devices.Precision = savedPrecision;
    }
}
