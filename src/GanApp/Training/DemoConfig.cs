namespace GanAudio.App.Training;

/// <summary>The built-in demo: a small WaveGAN on synthetic tones made in memory, sized to finish in about five minutes
/// on two CPU cores.</summary>
public static class DemoConfig
{
    /// <summary>The eight pitches of the demo (Hz), as in shared/data/tones.</summary>
    public static readonly double[] Pitches = [130.81, 196.00, 261.63, 329.63, 392.00, 523.25, 659.26, 880.00];

    public static TrainConfig Defaults { get; } = new()
    {
        Data = null,
        Model = "wavegan",
        Length = 16384,
        ModelSize = 8,
        Batch = 16,
        DSteps = 2,
        LrG = 3e-4,
        LrD = 3e-4,
        Steps = 400,
        SampleEvery = 100,
        CheckpointEvery = 100,
        LogEvery = 10,
    };
}
