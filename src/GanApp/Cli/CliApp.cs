using System.CommandLine;

namespace GanAudio.App.Cli;

/// <summary>Builds the command tree and maps failures to exit codes: 0 success, 2 usage error, 1 runtime error.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("GanApp: train generative adversarial networks on raw audio (WaveGAN and friends) in pure C#.");
        root.Subcommands.Add(DataCommand.Create());
        var parse = root.Parse(args);
        return parse.Invoke();
    }
}
