using System.CommandLine;
using GanAudio.App.Audio;
using GanAudio.App.Data;
using GanAudio.App.Training;
using GanAudio.Kernels;

namespace GanAudio.App.Cli;

/// <summary>Builds the command tree and maps failures to exit codes: 0 success, 2 usage error, 1 runtime error.
/// Errors are one line naming the file or option and what to do; stack traces only with --verbose.</summary>
public static class CliApp
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces on errors", Recursive = true };

    public static int Run(string[] args)
    {
        var root = new RootCommand("GanApp: train generative adversarial networks on raw audio (WaveGAN and friends) in pure C#.");
        root.Options.Add(Verbose);
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(ClassifierCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        if (args.Length == 0) return root.Parse(["--help"]).Invoke();
        var parse = root.Parse(args);
        if (ParseErrors.Describe(parse) is { } problem)
        {
            Console.Error.WriteLine($"error: {problem}");
            return 2;
        }
        return parse.Invoke();
    }

    /// <summary>Runs a command body with the project's error policy.</summary>
    public static int Guard(ParseResult parse, Func<int> body) => Guard(parse, (_, _) => body());

    /// <summary>Runs a command body with the project's error policy, giving it the invocation's output and error writers:
    /// usage errors (bad option values, unknown genres, …) → one line and exit 2; any other failure → one line and
    /// exit 1; the stack trace only with --verbose.</summary>
    public static int Guard(ParseResult parse, Func<TextWriter, TextWriter, int> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        bool verbose = parse.GetResult(Verbose) is not null && parse.GetValue(Verbose);
        try
        {
            return body(output, error);
        }
        catch (Exception e)
        {
            bool usage = e is UsageException or DataUsageException or DatasetException { IsUsageError: true };
            bool known = usage || e is DatasetException or AudioFormatException or IOException or UnauthorizedAccessException
                or TrainingDivergedException or DeviceException;
            error.WriteLine($"error: {OneLine(e)}" + (known || verbose ? "" : $" ({e.GetType().Name}; --verbose shows details)"));
            if (verbose) error.WriteLine(e);
            return usage ? 2 : 1;
        }
    }

    private static string OneLine(Exception e) => e.Message.Replace('\n', ' ').Replace('\r', ' ');
}
