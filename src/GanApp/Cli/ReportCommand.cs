using System.CommandLine;
using GanAudio.App.Report;
using GanAudio.App.Training;

namespace GanAudio.App.Cli;

/// <summary><c>GanApp report</c>: writes a run's self-contained report.html (losses, metrics and history, samples with
/// audio players and spectrograms, real clips).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var cmd = new Command("report", "Write <run>/report.html: loss plot, evaluation table and history, samples and real clips, all embedded.");
        var runOpt = new Option<string>("--run") { Description = "Run folder (made by GanApp train)", Required = true };
        var steps = new Option<int>("--steps") { Description = "Most sample steps shown", DefaultValueFactory = _ => 6 };
        var per = new Option<int>("--per-step") { Description = "Samples shown per step", DefaultValueFactory = _ => 4 };
        foreach (var o in new Option[] { runOpt, steps, per }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliApp.Guard(parse, () =>
        {
            int s = parse.GetValue(steps), p = parse.GetValue(per);
            if (s is < 1 or > 100 || p is < 1 or > 64) throw new UsageException("--steps must be 1 to 100 and --per-step 1 to 64");
            var run = new RunFolder(parse.GetValue(runOpt)!);
            if (!File.Exists(run.ConfigPath)) throw new UsageException($"--run {run.Root}: no config.json there; is it a run folder?");
            using var runLock = RunLock.Acquire(run.Root, "report"); // report.html is written into the run
            var path = ReportBuilder.Write(run, new ReportOptions { MaxSampleSteps = s, SamplesPerStep = p }, Console.Error.WriteLine);
            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MB)");
            return 0;
        }));
        return cmd;
    }
}
