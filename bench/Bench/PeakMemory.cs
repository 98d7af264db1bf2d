using System.Diagnostics;

namespace GanAudio.Bench;

/// <summary>The process's peak resident memory (Linux: VmHWM in /proc/self/status, the high-water mark of the resident
/// set since the process started; elsewhere the runtime's peak working set). Per process: each program measures itself.
/// Shared (as a linked file) with bench/TorchBench.</summary>
public static class PeakMemory
{
    /// <summary>Peak resident bytes so far.</summary>
    public static long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    public static double Mib(long bytes) => bytes / 1048576.0;
}
