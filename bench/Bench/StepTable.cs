namespace GanAudio.Bench;

/// <summary>The `step` suites' table, shared (as a linked file) with bench/TorchBench.</summary>
public static class StepTable
{
    public static string Header => $"{"model",-14} {"batch",5} {"critic ms",10} {"gen ms",10} {"iter ms",10}  (medians)";

    /// <summary>The memory line printed under each row: the process's peak resident memory so far (VmHWM: cumulative
    /// over the rows of one run) and, where the program has one, its tensor allocator's peak.</summary>
    public static string Memory(long residentPeak, string? allocator) =>
        FormattableString.Invariant($"{"",-14} peak resident memory {PeakMemory.Mib(residentPeak):F0} MiB (VmHWM, whole process so far)") +
        (allocator is null ? "" : $"; {allocator}");

    public static string Row(int d, int batch, double dMs, double gMs, double itMs) =>
        $"{$"wavegan d={d}",-14} {batch,5} {dMs,10:F1} {gMs,10:F1} {itMs,10:F1}";
}
