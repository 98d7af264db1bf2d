using System.Globalization;
using System.Text.Json;
using GanAudio.Kernels;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>Reading checkpoints safely: the trainer-state JSON and the weights are read and verified (per-tensor
/// CRC-32C where the file carries one, every value finite) before anything is copied into a model; the expected
/// tensor shapes are compared first so that a model that does not fit is reported as such; every message names the file.</summary>
public static class CheckpointStore
{
    /// <summary>Steps to try, best first: the one <c>latest</c> names, then every complete checkpoint, newest first.</summary>
    public static IReadOnlyList<long> Candidates(RunFolder run) =>
        new[] { run.LatestStep() }.OfType<long>().Concat(run.CheckpointSteps()).Distinct().ToList();

    /// <summary>"2, 4, 6" (the complete checkpoints, oldest first), or "none".</summary>
    public static string ListSteps(RunFolder run)
    {
        var steps = run.CheckpointSteps().Reverse().ToList();
        return steps.Count == 0 ? "none" : string.Join(", ", steps.Select(s => s.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The trainer state of a checkpoint; a truncated or malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static TrainerState ReadState(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), TrainConfig.Json)
                ?? throw new InvalidDataException($"{path}: empty trainer state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid trainer state ({e.Message.Split(". ")[0]}); the file is truncated or corrupt");
        }
    }

    /// <summary>Loads and verifies a checkpoint's tensors (checksums, finite values). The caller disposes them.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path, Device device)
    {
        var (tensors, _) = Safetensors.Load(path, device);
        try
        {
            TensorChecks.RequireFinite(tensors, path);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>Throws <see cref="UsageException"/> when a tensor the model needs is missing or has another shape.</summary>
    public static void RequireShapes(IReadOnlyDictionary<string, Tensor> tensors, IEnumerable<(string Name, Tensor Value)> expected, string path)
    {
        var problems = new List<string>();
        foreach (var (name, value) in expected)
        {
            if (!tensors.TryGetValue(name, out var t)) problems.Add($"{name} is missing");
            else if (!t.Shape.SequenceEqual(value.Shape))
                problems.Add($"{name} is {ShapeUtil.Format(t.Shape)} in the file, {ShapeUtil.Format(value.Shape)} in this model");
        }
        if (problems.Count > 0)
            throw new UsageException($"{path}: shape mismatch, the checkpoint does not fit the configured model ({string.Join("; ", problems.Take(3))}" +
                                     (problems.Count > 3 ? $"; {problems.Count - 3} more" : "") + "); were model options changed?");
    }

    /// <summary>The message for a checkpoint that could not be written because the disk is full.</summary>
    public static string DiskFullMessage(RunFolder run, long step, int keep) =>
        $"no space left on the disk while writing checkpoint {RunFolder.StepName(step)} in {run.CheckpointDir}; the previous checkpoint is intact. " +
        $"Free space, or keep fewer checkpoints with --keep-checkpoints (now {keep}), then continue with: GanApp train --resume {run.Root}";

    /// <summary>Deletes temporary files a killed process of this program left in the run folder (the caller holds the run's lock).</summary>
    public static int RemoveOrphans(RunFolder run, TextWriter log)
    {
        int n = 0;
        foreach (var dir in new[] { run.Root, run.CheckpointDir })
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var f in Directory.EnumerateFiles(dir, ".*.tmp"))
            {
                if (!AtomicFile.IsTemporaryName(Path.GetFileName(f))) continue;
                try
                {
                    File.Delete(f);
                    n++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        if (n > 0) log.WriteLine($"note: removed {n} temporary file{(n == 1 ? "" : "s")} left by an interrupted run in {run.Root}");
        return n;
    }
}
