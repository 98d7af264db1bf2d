using System.Diagnostics;
using System.Globalization;

namespace GanApp.Tests.Training;

/// <summary>GanApp as a separate process, and POSIX signals sent to it with /bin/kill.</summary>
public static class ProcessHarness
{
    public static Process Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(TrainingHarness.GanAppDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Runs to the end; returns (exit code, stdout, stderr).</summary>
    public static (int Code, string Out, string Err) Run(string[] args)
    {
        using var p = Start(args);
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o, err.Result);
    }

    public static void Signal(Process p, string signal)
    {
        using var kill = Process.Start("/bin/kill", ["-" + signal, p.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits (at most a minute) until the condition holds or the process ends.</summary>
    public static void WaitFor(Process p, Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && !p.HasExited && !condition()) Thread.Sleep(20);
    }

    public static string? SkipReason(bool needsKill = false)
    {
        if (!File.Exists(TrainingHarness.GanAppDll)) return $"GanApp.dll not found next to the tests ({TrainingHarness.GanAppDll})";
        if (needsKill && !(OperatingSystem.IsLinux() && File.Exists("/bin/kill"))) return "needs /bin/kill to send signals";
        return null;
    }
}
