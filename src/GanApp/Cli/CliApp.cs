using System.CommandLine;
using GanAudio.App.Training;

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
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Run 'GanApp --help' (or '<command> --help') for usage.");
            return 2;
        }
        return parse.Invoke();
    }

    /// <summary>Runs a command body with the project's error policy.</summary>
    public static int Guard(ParseResult parse, Func<int> body)
    {
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return body();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (verbose) Console.Error.WriteLine(e);
            return 2;
        }
        catch (Exception e) when (!verbose)
        {
            Console.Error.WriteLine($"error: {OneLine(e)}");
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {OneLine(e)}");
            Console.Error.WriteLine(e);
            return 1;
        }
    }

    private static string OneLine(Exception e) => e.Message.Replace('\n', ' ').Replace('\r', ' ');
}
