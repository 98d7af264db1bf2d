using System.Diagnostics;
using System.Runtime.InteropServices;
using GanAudio.App.Report;
using Spectre.Console;

namespace GanAudio.App.Training;

/// <summary>Runs a configured training to its end: data, trainer, resume, the schedule of logs, samples and checkpoints,
/// the progress display, Ctrl+C (finish the step, checkpoint, exit 0) and the final summary.</summary>
public static class TrainingSession
{
    public static int Run(TrainConfig cfg, RunFolder run, bool resuming, CancellationToken external = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(external);
        // Ctrl+C (SIGINT) and SIGTERM (docker stop, Slurm, Kubernetes) alike: finish the step, checkpoint, exit 0. Both
        // through PosixSignalRegistration (Ctrl+C on Windows too), one mechanism for the two signals.
        void Interrupt(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            if (!cts.IsCancellationRequested) Console.Error.WriteLine("interrupt: finishing the current step and writing a checkpoint…");
            cts.Cancel();
        }
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var runLock = RunLock.Acquire(run.Root, "train");
        CheckpointStore.RemoveOrphans(run, Console.Error);
        return RunInner(cfg, run, resuming, cts.Token);
    }

    private static int RunInner(TrainConfig cfg, RunFolder run, bool resuming, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var data = DataFactory.Create(cfg, Console.Out);
        run.Create();
        using var trainer = new Trainer(cfg, data, run);
        if (resuming)
        {
            var step = trainer.Checkpoints.Resume() ?? throw new UsageException($"--resume {run.Root}: no complete checkpoint to resume from");
            Console.WriteLine($"resumed {run.Root} at step {step}");
            if (trainer.Step >= cfg.Steps)
            {
                Console.WriteLine($"the run is already at step {trainer.Step} of --steps {cfg.Steps}: nothing to train; give a larger --steps to continue");
                return 0;
            }
        }
        // only now, with the configuration and the checkpoint known to fit, is config.json (re)written
        Nn.Checkpoints.AtomicFile.WriteAllText(run.ConfigPath, cfg.ToJson());
        Console.WriteLine($"run folder: {run.Root}");
        Console.WriteLine($"model {cfg.Model.Name()} (G {trainer.G.ParameterCount():N0} parameters, D {trainer.D.ParameterCount():N0}), " +
                          $"{data.Count} examples of {cfg.Length} samples at {data.SampleRate} Hz, {data.ClassNames.Count} classes, loss {cfg.Loss.Name()}, batch {cfg.Batch}");
        bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        StepReport? last = null;
        using var evaluation = cfg.EvalEvery > 0 ? new Evaluation.TrainingEvaluation(cfg, run) : null;
        var budget = new TrainingBudget(cfg.Steps, cfg.Minutes, trainer.Step);
        if (cfg.Minutes > 0) Console.WriteLine($"training for {cfg.Minutes:0.##} minutes" + (cfg.Steps < TrainingBudget.Unbounded ? $" or {cfg.Steps} steps, whichever comes first" : ""));
        // The losses of each iteration stay on the device; they are read (one host synchronisation for all the
        // iterations since the last read, each checked for NaN/Inf and written to metrics.csv) at log, sample, evaluation
        // and checkpoint steps and at the end. The progress display shows the losses of the last read. The one decision
        // on those values, the NaN/Inf stop, moved with them to the read: a diverged run trains at most the rest of its
        // interval before it stops, and never writes samples or a checkpoint after the bad step (those steps read first).
        // The other decisions (--steps, --minutes, Ctrl+C) need no device value.
        void Loop(Action<long, StepReport?, TrainingBudget>? onStep)
        {
            while (!budget.Done(trainer.Step) && !ct.IsCancellationRequested)
            {
                trainer.TrainIteration();
                long s = trainer.Step;
                bool end = budget.Done(s);
                bool log = cfg.LogEvery > 0 && s % cfg.LogEvery == 0;
                bool sample = (cfg.SampleEvery > 0 && s % cfg.SampleEvery == 0) || end;
                bool eval = evaluation is not null && (s % cfg.EvalEvery == 0 || end);
                bool checkpoint = (cfg.CheckpointEvery > 0 && s % cfg.CheckpointEvery == 0) || end;
                if (log || sample || eval || checkpoint) trainer.ReadLosses();
                last = trainer.LastReport;
                if (log)
                {
                    trainer.Metrics.Flush();
                    if (onStep is null && last is not null) Console.WriteLine(budget.Line(last));
                }
                onStep?.Invoke(s, last, budget);
                if (sample) trainer.WriteSamples();
                if (eval)
                {
                    var e = evaluation!.Run(trainer.SamplingGenerator, data.ClassNames, s);
                    if (onStep is null) Console.WriteLine(Evaluation.TrainingEvaluation.Summary(e));
                }
                if (checkpoint)
                {
                    trainer.Checkpoints.Save();
                    LossPlot.TryRender(run, Console.Error);
                }
            }
        }
        try
        {
            if (interactive)
            {
                AnsiConsole.Progress()
                    .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new SpinnerColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("training", maxValue: 1000);
                        Loop((step, r, b) =>
                        {
                            task.Value = 1000 * b.Fraction(step);
                            task.Description = b.Line(step, r);
                        });
                    });
            }
            else Loop(null);
            if (ct.IsCancellationRequested && !budget.Done(trainer.Step))
            {
                trainer.Checkpoints.Save();
                LossPlot.TryRender(run, Console.Error);
                Console.WriteLine($"stopped at step {trainer.Step}; continue with: GanApp train --resume {run.Root}");
                return 0;
            }
            trainer.ReadLosses();
            last = trainer.LastReport;
        }
        catch (TrainingDivergedException e)
        {
            trainer.Metrics.Flush();
            LossPlot.TryRender(run, Console.Error);
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        trainer.Metrics.Flush();
        LossPlot.TryRender(run, Console.Error);
        Console.WriteLine($"done: {trainer.Step} steps in {total.Elapsed.TotalSeconds:F0} s" + (last is null ? "" : $" (D loss {last.DLoss:F3}, G loss {last.GLoss:F3})"));
        Console.WriteLine($"samples:     {run.SamplesDir}");
        Console.WriteLine($"loss plot:   {run.LossPlotPath}");
        Console.WriteLine($"checkpoints: {run.CheckpointDir}");
        Console.WriteLine($"generate more with: GanApp generate --run {run.Root} --count 8");
        return 0;
    }
}
