using System.CommandLine;
using GanAudio.App.Audio;
using GanAudio.App.Data;

namespace GanAudio.App.Cli;

/// <summary>`GanApp data …`: inspect, prepare and synthesise datasets.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "Inspect audio folders, build the preprocessing cache, write synthetic datasets.");
        data.Subcommands.Add(DataInspectCommand.Create());
        data.Subcommands.Add(DataPrepareCommand.Create());
        data.Subcommands.Add(DataSynthCommand.Create());
        return data;
    }

    private static bool Verbose(ParseResult parse) => parse.GetResult(CliApp.Verbose) is not null && parse.GetValue(CliApp.Verbose);

    /// <summary>Runs a command body, turning failures into one line on stderr and exit code 1 (2 for usage errors).</summary>
    internal static int Guard(ParseResult parse, Func<TextWriter, TextWriter, int> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return body(output, error);
        }
        catch (Exception e) when (e is DataUsageException or DatasetException { IsUsageError: true })
        {
            error.WriteLine($"error: {e.Message}");
            if (Verbose(parse)) error.WriteLine(e);
            return 2;
        }
        catch (Exception e) when (e is DatasetException or AudioFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            if (Verbose(parse)) error.WriteLine(e);
            return 1;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: {e.GetType().Name}: {e.Message}" + (Verbose(parse) ? "" : " (run with --verbose for details)"));
            if (Verbose(parse)) error.WriteLine(e);
            return 1;
        }
    }
}

/// <summary>A bad option value found after parsing (exit code 2).</summary>
internal sealed class DataUsageException(string message) : Exception(message);
