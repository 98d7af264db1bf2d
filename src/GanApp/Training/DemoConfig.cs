namespace GanAudio.App.Training;

/// <summary>The built-in demo: the CPU preset on synthetic tones made in memory, sized to finish in under five minutes on
/// two CPU cores.</summary>
public static class DemoConfig
{
    /// <summary>The demo's data and schedule on top of a preset (normally <see cref="Presets.Cpu"/>).</summary>
    public static TrainConfig On(TrainConfig preset) => preset with
    {
        Data = null,
        Length = 16384,
        Steps = 1500,
        SampleEvery = 300,
        CheckpointEvery = 300,
        LogEvery = 10,
    };

    public static TrainConfig Defaults { get; } = On(Presets.Apply(Presets.Cpu, new TrainConfig()));
}
