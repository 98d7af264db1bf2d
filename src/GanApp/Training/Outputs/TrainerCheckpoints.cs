using System.Globalization;
using System.Text.Json;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>A trainer's checkpoints: G, D, both optimizers' state and the weight average as .safetensors (with
/// per-tensor checksums), the trainer state (step, random-stream positions, data order, loss history) as .json, the
/// latest pointer and pruning; and exact resume from the newest checkpoint that reads and verifies.</summary>
public sealed class TrainerCheckpoints(Trainer t)
{
    private RunFolder Run => t.Run;

    private IEnumerable<(string Name, Tensor Value)> Tensors() =>
        t.G.StateDict("generator.").Concat(t.D.StateDict("discriminator."))
            .Concat(t.OptG.State.Select(s => ("optimizer_g." + s.Name, s.Value)))
            .Concat(t.OptD.State.Select(s => ("optimizer_d." + s.Name, s.Value)));

    private IEnumerable<(string Name, RandomStream Rng)> Streams() =>
        [("z", t.ZRng), ("gp", t.GpRng), ("shuffle", t.ShuffleRng), ("init", t.InitRng), ("augment", t.AugmentRng)];

    /// <summary>Reads the losses still on the device (so the loss history is complete and a diverged run is never
    /// saved: <see cref="TrainingDivergedException"/>), flushes the metrics, then saves the current step's checkpoint and
    /// moves the latest pointer.</summary>
    public void Save()
    {
        t.ReadLosses();
        t.Metrics.Flush();
        try
        {
            SaveFiles();
        }
        catch (IOException e) when (AtomicFile.IsDiskFull(e))
        {
            throw new IOException(CheckpointStore.DiskFullMessage(Run, t.Step, t.Config.KeepCheckpoints), e);
        }
    }

    private void SaveFiles()
    {
        Directory.CreateDirectory(Run.CheckpointDir);
        Safetensors.Save(Run.WeightsPath(t.Step), Tensors().Concat(t.Ema?.Model.StateDict(GeneratorEma.Prefix) ?? []), new Dictionary<string, string>
        {
            ["format"] = "ganaudio-checkpoint-1",
            ["step"] = t.Step.ToString(CultureInfo.InvariantCulture),
            ["model"] = t.Config.Model.Name(),
        });
        var state = new TrainerState
        {
            Step = t.Step,
            OptimizerGSteps = t.OptG.StepCount,
            OptimizerDSteps = t.OptD.StepCount,
            Random = Streams().ToDictionary(s => s.Name, s => new[] { s.Rng.Seed, s.Rng.Offset }),
            DataState = t.Data.State,
            ClassNames = t.Data.ClassNames.ToArray(),
            LossHistory = t.Metrics.History.ToList(),
        };
        AtomicFile.WriteAllText(Run.StatePath(t.Step), JsonSerializer.Serialize(state, TrainConfig.Json));
        Run.WriteLatest(t.Step);
        Run.Prune(t.Config.KeepCheckpoints);
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
                Load(step);
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

    private void Load(long step)
    {
        var state = CheckpointStore.ReadState(Run.StatePath(step));
        var path = Run.WeightsPath(step);
        var tensors = CheckpointStore.ReadTensors(path, t.Device);
        try
        {
            CheckpointStore.RequireShapes(tensors, Tensors(), path);
            t.G.LoadStateDict(tensors, strict: true, prefix: "generator.");
            t.D.LoadStateDict(tensors, strict: true, prefix: "discriminator.");
            t.OptG.LoadState(tensors, state.OptimizerGSteps, "optimizer_g.");
            t.OptD.LoadState(tensors, state.OptimizerDSteps, "optimizer_d.");
            if (t.Ema is { } ema)
            {
                if (tensors.Keys.Any(k => k.StartsWith(GeneratorEma.Prefix, StringComparison.Ordinal)))
                    ema.Model.LoadStateDict(tensors, strict: true, prefix: GeneratorEma.Prefix);
                else ema.CopyAll();
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        finally
        {
            foreach (var x in tensors.Values) x.Dispose();
        }
        foreach (var (name, rng) in Streams())
        {
            // checkpoints made before --augment existed have no augment stream: it stays at its start
            if (state.Random.TryGetValue(name, out var s)) rng.Reset(s[0], s[1]);
            else if (name != "augment") throw new InvalidDataException($"{Run.StatePath(step)}: no position of the {name} random stream");
        }
        t.Data.Restore(state.DataState);
        t.Restore(state.Step, t.Metrics.Restore(state.LossHistory, step));
    }
}
