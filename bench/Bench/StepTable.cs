namespace GanAudio.Bench;

/// <summary>The `step` suites' table, shared (as a linked file) with bench/TorchBench.</summary>
public static class StepTable
{
    public static string Header => $"{"model",-14} {"batch",5} {"critic ms",10} {"gen ms",10} {"iter ms",10}  (medians)";

    public static string Row(int d, int batch, double dMs, double gMs, double itMs) =>
        $"{$"wavegan d={d}",-14} {batch,5} {dMs,10:F1} {gMs,10:F1} {itMs,10:F1}";
}
