using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.App.Training;

/// <summary>The run's listening samples: the same fixed latents (and labels, cycling over the classes when conditional)
/// through the sampling generator at every sample step, as WAV files in samples/step-NNNNNN/.</summary>
public sealed class SampleWriter : IDisposable
{
    private readonly Tensor fixedZ;
    private readonly int[]? fixedLabels;
    private readonly RunFolder run;
    private readonly IReadOnlyList<string> classNames;
    private readonly int sampleRate;

    /// <summary>Draws the fixed latents from their own stream (seed·4 + 1 000 003), so they do not depend on the rest.</summary>
    public SampleWriter(TrainConfig config, int numClasses, IReadOnlyList<string> classNames, int sampleRate, RunFolder run, Device device)
    {
        (this.run, this.classNames, this.sampleRate) = (run, classNames, sampleRate);
        using (TensorScope.Suspend())
        {
            var fixedRng = new RandomStream((ulong)config.Seed * 4 + 1_000_003);
            fixedZ = Tensor.Rand([Math.Max(1, config.SampleCount), config.Latent], fixedRng, -1, 1, DType.Float32, device);
        }
        if (numClasses > 0) fixedLabels = Enumerable.Range(0, fixedZ.Shape[0]).Select(i => i % numClasses).ToArray();
    }

    /// <summary>Writes the samples of <paramref name="step"/> from <paramref name="sampler"/> (in eval mode; a training
    /// generator <paramref name="trained"/> is put back into training mode); returns their folder.</summary>
    public string Write(long step, GeneratorModule sampler, GeneratorModule trained)
    {
        var dir = run.SampleDir(step);
        Directory.CreateDirectory(dir);
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        sampler.Eval();
        try
        {
            var audio = sampler.Generate(fixedZ, fixedLabels).ToFloatArray();
            int n = fixedZ.Shape[0], len = sampler.OutputLength;
            for (int i = 0; i < n; i++)
            {
                string suffix = fixedLabels is null ? "" : "-" + classNames[fixedLabels[i]];
                Audio.WavWriter.Write(Path.Combine(dir, $"sample-{i:D2}{suffix}.wav"), audio.AsSpan(i * len, len), sampleRate);
            }
        }
        finally
        {
            if (sampler == trained) trained.Train();
        }
        return dir;
    }

    public void Dispose() => fixedZ.Dispose();
}
