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

    /// <summary>The data commands' error policy is the application's (<see cref="CliApp.Guard(ParseResult, Func{TextWriter, TextWriter, int})"/>).</summary>
    internal static int Guard(ParseResult parse, Func<TextWriter, TextWriter, int> body) => CliApp.Guard(parse, body);
}

/// <summary>A bad option value found after parsing (exit code 2).</summary>
internal sealed class DataUsageException(string message) : Exception(message);
