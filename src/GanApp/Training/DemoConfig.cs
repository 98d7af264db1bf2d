namespace GanAudio.App.Training;

/// <summary>The built-in demo: the CPU preset on synthetic tones made in memory, trained for four minutes of wall-clock time.</summary>
public static class DemoConfig
{
    /// <summary>The demo's data and schedule on top of a preset (normally <see cref="Presets.Cpu"/>).</summary>
    public static TrainConfig On(TrainConfig preset) => preset with
    {
        Data = null,
        Length = 16384,
        // a time budget, so the demo ends within five minutes on any machine (steps done depend on its speed)
        Minutes = 4,
        Steps = TrainingBudget.Unbounded,
        SampleEvery = 200,
        CheckpointEvery = 200,
        LogEvery = 10,
    };

    public static TrainConfig Defaults { get; } = On(Presets.Apply(Presets.Cpu, new TrainConfig()));
}
