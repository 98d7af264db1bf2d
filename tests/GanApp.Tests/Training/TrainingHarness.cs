using GanAudio.App.Cli;

namespace GanApp.Tests.Training;

/// <summary>Tiny training configurations and helpers for end-to-end tests (seconds each).</summary>
public static class TrainingHarness
{
    /// <summary>Options for a very small WaveGAN on the built-in tones: d = 2, batch 2, one critic step.</summary>
    public static readonly string[] Tiny =
    [
        "--model-size", "2", "--batch", "2", "--d-steps", "1", "--sample-count", "2", "--log-every", "1", "--threads", "1",
    ];

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "ganaudio-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Runs the CLI in-process and returns (exit code, stdout, stderr).</summary>
    public static (int Code, string Out, string Err) RunCli(params string[] args)
    {
        lock (ConsoleLock)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var o = new StringWriter();
            var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                int code = CliApp.Run(args);
                return (code, o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    public static readonly object ConsoleLock = new();

    /// <summary>The GanApp.dll next to the test assembly (for tests that need a separate process).</summary>
    public static string GanAppDll => Path.Combine(AppContext.BaseDirectory, "GanApp.dll");
}
