namespace GanAudio.App.Training;

/// <summary>The built-in demo: a small WaveGAN on synthetic tones made in memory, sized to finish in about five minutes
/// on two CPU cores.</summary>
public static class DemoConfig
{
    public static TrainConfig Defaults { get; } = new()
    {
        Data = null,
        Model = "wavegan",
        Length = 16384,
        ModelSize = 8,
        // nearest-neighbour upsampling + conv: transposed convs start with periodic (checkerboard) artifacts at
        // multiples of 62.5 Hz that a small model does not unlearn in minutes; with upsampling it finds the pitches
        Upsample = true,
        Batch = 16,
        DSteps = 2,
        LrG = 3e-4,
        LrD = 3e-4,
        Steps = 1500,
        SampleEvery = 300,
        CheckpointEvery = 300,
        LogEvery = 10,
    };
}
