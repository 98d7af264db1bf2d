using System.Diagnostics;
using System.Globalization;

namespace GanApp.Tests.Training;

/// <summary>GanApp as a separate process, and POSIX signals sent to it with /bin/kill.</summary>
public static class ProcessHarness
{
    public static Process Start(string[] args) => Process.Start(StartInfo(args))!;

    /// <summary>How to start GanApp: with the <c>dotnet</c> host that runs the tests (or the one on the PATH) and GanApp.dll;
    /// in a self-contained publish (tools/gpu/pack.sh's bundle, where no <c>dotnet</c> need exist) the GanApp executable
    /// next to the tests, which carries the runtime beside it.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        string dir = AppContext.BaseDirectory;
        string? host = Environment.ProcessPath;
        string apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "GanApp.exe" : "GanApp");
        bool selfContained = File.Exists(Path.Combine(dir, OperatingSystem.IsWindows() ? "hostfxr.dll" : "libhostfxr.so"));
        ProcessStartInfo psi;
        if (host != null && Path.GetFileNameWithoutExtension(host) == "dotnet")
            psi = new ProcessStartInfo(host) { ArgumentList = { TrainingHarness.GanAppDll } };
        else if (selfContained && File.Exists(apphost))
            psi = new ProcessStartInfo(apphost);
        else
            psi = new ProcessStartInfo("dotnet") { ArgumentList = { TrainingHarness.GanAppDll } };
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
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

    public static string? SkipReason(bool needsKill = false, bool needsSigint = false)
    {
        if (!File.Exists(TrainingHarness.GanAppDll)) return $"GanApp.dll not found next to the tests ({TrainingHarness.GanAppDll})";
        if ((needsKill || needsSigint) && !(OperatingSystem.IsLinux() && File.Exists("/bin/kill"))) return "needs /bin/kill to send signals";
        // a shell without job control starts background commands with SIGINT ignored; children inherit that, and .NET
        // then leaves Ctrl+C alone, so the signal could never reach the training
        if (needsSigint && SignalIgnored(2)) return "SIGINT is ignored in this process (started in the background by a shell?), so a child cannot receive Ctrl+C";
        return null;
    }

    /// <summary>Whether signal <paramref name="number"/> is ignored here (Linux: the SigIgn mask of /proc/self/status).</summary>
    public static bool SignalIgnored(int number)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/status")) return false;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line != null && ulong.TryParse(line[7..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var mask) &&
               (mask >> (number - 1) & 1) == 1;
    }

    /// <summary>Waits for the process to end (at most <paramref name="seconds"/>), killing it when it does not, so that a lost
    /// signal fails the test instead of hanging it; returns its standard output.</summary>
    public static string WaitForExitOrKill(Process p, int seconds, string what)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(seconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"training did not stop within {seconds} s after {what}");
        }
        return stdout.Result;
    }
}
