namespace GanAudio.App.Training;

/// <summary>The built-in demo: a small WaveGAN on synthetic tones made in memory, sized to finish in about five minutes
/// on two CPU cores. It keeps its own tones recipe — WGAN-GP with the waveform critic, conditional on the pitch class,
/// with a weight-averaged generator (the README's tones table: all 8 pitches and 100 % pitch precision at 1500 steps);
/// the cpu preset, tuned on music, did not learn the tones with its earlier waveform generator (`--preset cpu` runs it
/// here), and in this recipe the magnitude/frequency generator (stft-if) set the pitches less exactly on two seeds of three.</summary>
public static class DemoConfig
{
    /// <summary>The demo's data and schedule on top of <paramref name="preset"/>.</summary>
    public static TrainConfig On(TrainConfig preset) => preset with
    {
        Data = null,
        Length = 16384,
        Steps = 1500,
        SampleEvery = 300,
        CheckpointEvery = 300,
        LogEvery = 10,
    };

    /// <summary>The tones recipe: WaveGAN d = 8 with nearest-neighbour upsampling, batch 16, 2 critic steps, lr 3e-4,
    /// conditional on the pitch class, weight average with a half-life of 2000 examples.</summary>
    public static TrainConfig Defaults { get; } = On(new TrainConfig()) with
    {
        Model = ModelKind.WaveGan,
        ModelSize = 8,
        // nearest-neighbour upsampling + conv: transposed convs start with periodic (checkerboard) artifacts at
        // multiples of 62.5 Hz that a small model does not unlearn in minutes; with upsampling it finds the pitches
        Upsample = true,
        Batch = 16,
        DSteps = 2,
        LrG = 3e-4,
        LrD = 3e-4,
        // measured on the tones (README): unconditional, 6 of the 8 pitches appeared by step 1500; with the label, all 8
        Conditional = true,
        EmaHalfLife = 2000,
    };
}
