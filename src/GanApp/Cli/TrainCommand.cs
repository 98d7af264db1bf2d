using System.CommandLine;
using System.Globalization;
using GanAudio.App.Training;

namespace GanAudio.App.Cli;

/// <summary><c>GanApp train</c>: resolves the configuration (defaults → --config file → command-line options), prepares
/// the run folder and data, and runs the <see cref="TrainingSession"/>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var cmd = new Command("train", "Train a GAN on a folder of audio, or on built-in synthetic tones when no --data is given (the demo).");
        var config = new Option<string?>("--config") { Description = "JSON configuration file (keys as the option names); command-line options override it" };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/<model>-<time>, or runs/demo for the demo)" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last complete checkpoint" };
        var dataArg = new Argument<string?>("data") { Description = "Same as --data", Arity = ArgumentArity.ZeroOrOne };
        cmd.Options.Add(config);
        cmd.Options.Add(outDir);
        cmd.Options.Add(resume);
        cmd.Arguments.Add(dataArg);
        var knobs = new ConfigOptions(cmd);
        cmd.SetAction(parse => CliApp.Guard(parse, () =>
        {
            RunFolder run;
            TrainConfig cfg;
            bool resuming = parse.GetValue(resume) is not null;
            if (resuming)
            {
                run = new RunFolder(parse.GetValue(resume)!);
                if (!File.Exists(run.ConfigPath)) throw new UsageException($"--resume {run.Root}: no config.json there; is it a run folder?");
                var saved = TrainConfig.FromJson(File.ReadAllText(run.ConfigPath), run.ConfigPath);
                cfg = knobs.Apply(saved, parse);
                RunValidation.RequireResumable(saved, cfg, run.Root); // before anything is written
            }
            else
            {
                string? configPath = parse.GetValue(config);
                string? fileText = configPath is null ? null : ReadConfig(configPath);
                var fileCfg = fileText is null ? new TrainConfig() : TrainConfig.FromJson(fileText, configPath!);
                var probe = knobs.Apply(fileCfg, parse);
                if (parse.GetValue(dataArg) is { } d) probe = probe with { Data = d };
                bool demo = probe.Data is null && configPath is null;
                bool automatic = probe.Preset is null;
                var preset = probe.Preset ?? Presets.Default(probe.Device, probe.Model);
                // preset → config file → command line; the demo keeps its tones recipe unless a preset is named
                var baseCfg = demo && automatic ? DemoConfig.For(probe.Model) : Presets.Apply(preset, new TrainConfig());
                if (demo && !automatic) baseCfg = DemoConfig.On(baseCfg);
                cfg = knobs.Apply(fileText is null ? baseCfg : TrainConfig.FromJson(fileText, configPath!, baseCfg), parse);
                if (parse.GetValue(dataArg) is { } d2) cfg = cfg with { Data = d2 };
                if (cfg.Minutes > 0 && parse.GetResult(knobs.Find("Steps")) is null && !TrainConfig.Sets(fileText, "steps"))
                    cfg = cfg with { Steps = TrainingBudget.Unbounded };
                Console.WriteLine(demo && automatic
                    ? "demo: WaveGAN d 8 on built-in tones, conditional on the pitch, magnitude/frequency generator at FFT 1024 (WGAN-GP, 2 critic steps, weight-averaged G); --preset cpu for the CPU recipe, --data DIR for your audio"
                    : Presets.Describe(preset, automatic));
                string folder = parse.GetValue(outDir) ?? Path.Combine("runs", cfg.Data is null ? "demo" :
                    $"{cfg.Model.Name()}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
                run = new RunFolder(folder);
                if (File.Exists(run.Root)) throw new UsageException($"--out {folder} is a file; give a folder for the run");
                if (new RunFolder(folder).CheckpointSteps().Count > 0)
                    throw new UsageException($"--out {run.Root} already holds a run; continue it with --resume {folder} or choose another --out");
            }
            cfg.Validate();
            RunValidation.RequireSteps(cfg);
            return TrainingSession.Run(cfg, run, resuming);
        }));
        return cmd;
    }

    private static string ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--config {path}: file not found");
        return File.ReadAllText(path);
    }
}
