namespace GanAudio.App.Training;

/// <summary>The built-in demo: a small WaveGAN on synthetic tones made in memory, sized to finish in minutes on two CPU
/// cores. It keeps its own tones recipe — WGAN-GP with the waveform critic, conditional on the pitch class, with a
/// weight-averaged generator — and since 4 Dec 2026 the magnitude/frequency generator (stft-if) at FFT 1024 (513 bins every
/// 256 samples): on the README's tones tables it gives all 8 pitches on three seeds with Inception Score 2.37–2.47 at the
/// demo's 1200 steps and 2.63–2.82 at 1500 (4 Dec 2026's build), where the waveform generator (<see cref="Waveform"/>, the
/// demo before) gave 1.4–1.7 at 1500, and at FFT 512 the same generator set the pitches less exactly on two seeds of
/// three. The cpu preset, tuned on music, runs here with `--preset cpu`.</summary>
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

    /// <summary>The tones recipe with WaveGAN's waveform generator (the demo until 4 Dec 2026; the tests' small runs):
    /// WaveGAN d = 8 with nearest-neighbour upsampling, batch 16, 2 critic steps, lr 3e-4, conditional on the pitch
    /// class, weight average with a half-life of 2000 examples.</summary>
    public static TrainConfig Waveform { get; } = On(new TrainConfig()) with
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

    /// <summary>The demo: <see cref="Waveform"/>'s recipe with the magnitude/frequency generator at FFT 1024, whose
    /// 15.6 Hz bins resolve the lowest pitches (130.81 Hz is bin 8.4 instead of 4.2), as GANSynth found for pitch, for
    /// 1200 steps — what fits in 5 minutes on two cores (the README's timing; <c>--steps 1500</c> takes about 6).</summary>
    public static TrainConfig Defaults { get; } = Waveform with
    {
        GeneratorOutput = GeneratorOutputKind.StftIf,
        GeneratorFft = 1024,
        Steps = 1200,
    };

    /// <summary>The demo's recipe for <paramref name="model"/>: the magnitude/frequency generator is WaveGAN's, so the
    /// study's models take <see cref="Waveform"/>'s schedule without it.</summary>
    public static TrainConfig For(ModelKind model) => model == ModelKind.WaveGan ? Defaults : Waveform;
}
