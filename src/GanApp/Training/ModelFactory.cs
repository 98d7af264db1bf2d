using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>Builds the generator and discriminator a configuration asks for.</summary>
public static class ModelFactory
{
    public static (GeneratorModule G, DiscriminatorModule D) Create(TrainConfig c, int numClasses, RandomStream init, RandomStream shuffle, Device device)
    {
        int classes = c.Conditional ? numClasses : 0;
        if (c.Model == ModelKind.WaveGan)
        {
            var o = new WaveGanOptions
            {
                ModelSize = c.ModelSize,
                LatentDim = c.Latent,
                Length = c.Length,
                PhaseShuffle = c.PhaseShuffle,
                PhaseShufflePerExample = c.PhaseShufflePerExample,
                BatchNorm = c.BatchNorm,
                Upsample = c.Upsample,
                PostFilterLength = c.PostFilter,
                NumClasses = classes,
                TensorFlowInit = c.Init == WeightInit.TensorFlow,
            };
            GeneratorModule g = c.GeneratorOutput is GeneratorOutputKind.Stft or GeneratorOutputKind.StftIf
                ? new StftGenerator(c.ModelSize, c.Latent, c.Length, classes, o.EmbedDim, init, DType.Float32, device,
                                    instantaneousFrequency: c.GeneratorOutput == GeneratorOutputKind.StftIf, fft: c.GeneratorFft)
                : new WaveGanGenerator(o, init, DType.Float32, device);
            return (g, WithSpectrogramDiscriminators(c, classes, new WaveGanDiscriminator(o with { ModelSize = c.DModelSize > 0 ? c.DModelSize : c.ModelSize }, init, shuffle, DType.Float32, device), init, device));
        }
        var s = new StudyGanOptions
        {
            Architecture = c.Model == ModelKind.StudyMlp ? StudyArchitecture.Mlp : StudyArchitecture.Conv,
            Length = c.Length,
            LatentDim = c.Latent,
            HiddenUnits = c.HiddenUnits,
            HiddenLayers = c.HiddenLayers,
            ConvLayers = c.ConvLayers,
            ExtraLayers = c.ExtraLayers,
            Channels = c.Channels,
            BatchNorm = c.BatchNorm,
            NumClasses = classes,
        };
        var sg = new StudyGenerator(s, init, DType.Float32, device);
        return (sg, WithSpectrogramDiscriminators(c, classes, new StudyDiscriminator(s, init, DType.Float32, device), init, device));
    }

    /// <summary>Only the generator (for <c>generate</c>, <c>eval</c> and the weight average): same options, so the same
    /// shapes; its initial weights are overwritten by a checkpoint or a copy.</summary>
    public static GeneratorModule CreateGenerator(TrainConfig c, int numClasses, Device device)
    {
        var (g, d) = Create(c with { StftDiscriminators = null, WaveDiscriminator = true }, numClasses, new RandomStream(0), new RandomStream(0), device);
        d.Dispose();
        return g;
    }

    /// <summary>The run's discriminator: the model's own, or a <see cref="MultiDiscriminator"/> of it (unless
    /// --wave-discriminator false) and one spectrogram discriminator per --stft-discriminators size.</summary>
    private static DiscriminatorModule WithSpectrogramDiscriminators(TrainConfig c, int classes, DiscriminatorModule wave, RandomStream init, Device device)
    {
        var sizes = c.StftDiscriminators ?? [];
        if (sizes.Length == 0) return wave;
        var parts = new List<(string, DiscriminatorModule)>();
        if (c.WaveDiscriminator) parts.Add(("wave", wave));
        else wave.Dispose();
        foreach (int n in sizes) parts.Add(($"stft{n}", new StftDiscriminator(n, c.StftChannels, classes, init, DType.Float32, device)));
        return new MultiDiscriminator(parts);
    }
}
