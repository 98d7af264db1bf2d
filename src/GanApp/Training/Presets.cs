namespace GanAudio.App.Training;

/// <summary>Named sets of defaults (<c>--preset</c>). <b>wavegan</b>: the paper's settings (Donahue et al. 2019), which
/// are <see cref="TrainConfig"/>'s own defaults — for GPUs. <b>cpu</b>: a recipe that learns audio in minutes on a few
/// CPU cores, each piece kept by measurement (the README's ablation table): a small WaveGAN (d = 8) with
/// nearest-neighbour upsampling, batch 16, one critic step per generator step, hinge loss with a lazy R1 penalty
/// instead of the gradient penalty every step, two spectrogram discriminators (FFT 1024 and 256) in place of the waveform
/// one, a generator that makes log-magnitude and instantaneous-frequency spectra (<c>stft-if</c>) turned into samples by
/// a fixed inverse STFT, a weight average of the generator for sampling, and differentiable gain and time-shift
/// augmentation of real and fake audio alike for the small data sets a CPU trains on. Options given in a config file or on the command line override a preset.</summary>
public static class Presets
{
    public const PresetKind WaveGan = PresetKind.WaveGan;
    public const PresetKind Cpu = PresetKind.Cpu;

    /// <summary>The preset's configuration, starting from <paramref name="baseConfig"/>.</summary>
    public static TrainConfig Apply(PresetKind preset, TrainConfig baseConfig) => preset switch
    {
        WaveGan => baseConfig with { Preset = WaveGan },
        Cpu => baseConfig with
        {
            Preset = Cpu,
            ModelSize = 8,
            Upsample = true,
            Batch = 16,
            DSteps = 1,
            LrG = 2e-4,
            LrD = 2e-4,
            Loss = LossKind.Hinge,
            R1Gamma = 1,
            R1Every = 16,
            StftDiscriminators = [1024, 256],
            WaveDiscriminator = false,
            GeneratorOutput = GeneratorOutputKind.StftIf,
            EmaHalfLife = 2000,
            // measured on gtzan-mini (README): without it the critic overfits the few training clips and the generator
            // drifts away after a few hundred steps (seed 0: Fréchet distance 1.38 at step 500, 12.01 at 2000); with it
            // the three seeds' median at 2000 steps was 6.17 against 11.95, and no seed's clips came nearer the training clips
            // than held-out real ones
            Augment = [AugmentKind.Gain, AugmentKind.Shift],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "no such preset"),
    };

    /// <summary>The preset a run gets when none is named: cpu for WaveGAN on the CPU, wavegan (the paper's) elsewhere.
    /// The study's own models keep their defaults.</summary>
    public static PresetKind Default(Kernels.Device device, ModelKind model) =>
        model == ModelKind.WaveGan && device.Type == Kernels.DeviceType.Cpu ? Cpu : WaveGan;

    /// <summary>The one line <c>train</c> prints about the preset it used.</summary>
    public static string Describe(PresetKind preset, bool chosenAutomatically) => preset switch
    {
        Cpu => $"preset cpu{(chosenAutomatically ? " (the default on --device cpu)" : "")}: WaveGAN d 8 with upsampling, batch 16, hinge + R1, " +
               "spectrogram discriminators (FFT 1024, 256), a magnitude/frequency (stft-if) generator with a weight average, gain and shift augmentation, to learn in minutes on a CPU; --preset wavegan for the paper's settings",
        _ => $"preset wavegan{(chosenAutomatically ? " (the default)" : "")}: the paper's settings (d 64, batch 64, WGAN-GP, 5 critic steps)" +
             (chosenAutomatically ? "" : "; --preset cpu learns faster on a CPU"),
    };
}
