using System.CommandLine;
using GanAudio.App.Evaluation;
using GanAudio.App.Training;
using GanAudio.Tensors;

namespace GanAudio.App.Cli;

/// <summary><c>GanApp eval</c>: measures a run's generator (Inception Score, Fréchet distance, class accuracy,
/// nearest-neighbour distance, spectral flatness, pitch precision/recall) beside real and noise baselines; prints a
/// table and appends the entry to <c>eval.json</c> in the run folder.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var cmd = new Command("eval", "Evaluate a run's generator against real audio, with real-vs-real and noise baselines.");
        var runOpt = new Option<string>("--run") { Description = "Run folder (made by GanApp train)", Required = true };
        var clfOpt = new Option<string?>("--classifier") { Description = "Classifier folder (made by GanApp classifier train); without it only the classifier-free metrics" };
        var data = new Option<string?>("--data") { Description = "Real audio to compare with (default: the run's own data)" };
        var count = new Option<int>("--count") { Description = "Generated clips (and noise clips)", DefaultValueFactory = _ => 128 };
        var ckpt = new Option<string?>("--checkpoint") { Description = "Step number or .safetensors file (default: the latest)" };
        var raw = GenerateCommand.RawWeightsOption();
        foreach (var o in new Option[] { runOpt, clfOpt, data, count, ckpt, raw }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliApp.Guard(parse, () =>
        {
            var run = new RunFolder(parse.GetValue(runOpt)!);
            int n = parse.GetValue(count);
            if (n is < 2 or > 10000) throw new UsageException($"--count {n}: use 2 to 10000");
            if (!File.Exists(run.ConfigPath)) throw new UsageException($"--run {run.Root}: no config.json there; is it a run folder?");
            using var runLock = RunLock.Acquire(run.Root, "eval"); // eval.json is written into the run
            using var g = GenerateCommand.LoadGenerator(run, parse.GetValue(ckpt), out var classes, out _, out long step, parse.GetValue(raw));
            var cfg = TrainConfig.FromJson(File.ReadAllText(run.ConfigPath), run.ConfigPath);
            var clfPath = parse.GetValue(clfOpt);
            using var clf = clfPath is null ? null : Classifier.Load(clfPath);
            var real = EvalData.Load(cfg, parse.GetValue(data), Console.Error.WriteLine);
            var reference = new EvalReference(real, g.OutputLength, clf);
            var entry = new Evaluator(reference).Evaluate(g, classes, n, step, clfPath is null ? null : Path.GetFullPath(clfPath));
            EvalTable.Print(entry);
            EvalFile.Append(run.Root, entry);
            Console.WriteLine($"saved to {EvalFile.PathIn(run.Root)}");
            return 0;
        }));
        return cmd;
    }
}
