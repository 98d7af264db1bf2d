using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>Builds the generator and discriminator a configuration asks for.</summary>
public static class ModelFactory
{
    public static (GeneratorModule G, DiscriminatorModule D) Create(TrainConfig c, int numClasses, Generator init, Generator shuffle, Device device)
    {
        int classes = c.Conditional ? numClasses : 0;
        if (c.Model == "wavegan")
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
                TensorFlowInit = c.Init == "tf",
            };
            return (new WaveGanGenerator(o, init, DType.Float32, device), new WaveGanDiscriminator(o, init, shuffle, DType.Float32, device));
        }
        var s = new StudyGanOptions
        {
            Architecture = c.Model == "study-mlp" ? "mlp" : "conv",
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
        return (new StudyGenerator(s, init, DType.Float32, device), new StudyDiscriminator(s, init, DType.Float32, device));
    }
}
