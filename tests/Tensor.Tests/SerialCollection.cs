namespace GanAudio.Tensors.Tests;

/// <summary>Tests that read global counters (live tensors and bytes) or change global settings (thread count) run
/// alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (global counters and settings)";
}
