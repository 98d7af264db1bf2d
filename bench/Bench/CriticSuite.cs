using System.Diagnostics;
using GanAudio.App.Models;
using GanAudio.Kernels.Cpu;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;

namespace GanAudio.Bench;

/// <summary>The critics side by side on the CPU: WaveGAN's waveform critic at model size d and log-power spectrogram
/// critics (<c>--stft-discriminators N</c>) with the dense and the factorized STFT: median ms of a score's forward +
/// backward to the weights and the input (what a critic step does for real and for fake) and of WGAN-GP's penalty
/// with its backward (the second-order pass), batch 16, 16384 samples, and the parameter count.</summary>
public sealed class CriticSuite : IBenchSuite
{
    public string Name => "critics";

    public string Description => "critics (waveform d, spectrogram 1024 / 512 / 256 dense and factorized): score fwd+bwd / penalty ms, batch 16 (--d 8, --threads n, --reps 7)";

    public int Run(string[] args)
    {
        int d = 8, reps = 7;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") d = int.Parse(args[i + 1]);
            if (args[i] == "--reps") reps = int.Parse(args[i + 1]);
            if (args[i] == "--threads") CpuParallel.MaxThreads = int.Parse(args[i + 1]);
        }
        const int batch = 16, samples = 16384;
        Console.WriteLine($"GanAudio critics on the CPU, {CpuParallel.MaxThreads} thread(s), d={d}, batch {batch}, {samples} samples, medians of {reps}");
        Console.WriteLine($"{"critic",-40} {"params",10} {"score f+b ms",13} {"penalty ms",11}");
        var makers = new (string Name, Func<DiscriminatorModule> Make)[]
        {
            ($"waveform (WaveGAN d = {d})", () => new WaveGanDiscriminator(new WaveGanOptions { ModelSize = d, Length = samples }, new RandomStream(1), new RandomStream(2))),
            ("spectrogram FFT 1024, dense", () => new StftDiscriminator(1024, 64, 0, new RandomStream(1), factorizedStft: false)),
            ("spectrogram FFT 1024, factorized", () => new StftDiscriminator(1024, 64, 0, new RandomStream(1), factorizedStft: true)),
            ("spectrogram FFT 512, dense", () => new StftDiscriminator(512, 64, 0, new RandomStream(1), factorizedStft: false)),
            ("spectrogram FFT 512, factorized", () => new StftDiscriminator(512, 64, 0, new RandomStream(1), factorizedStft: true)),
            ("spectrogram FFT 256, dense", () => new StftDiscriminator(256, 64, 0, new RandomStream(1), factorizedStft: false)),
            ("spectrogram FFT 256, factorized", () => new StftDiscriminator(256, 64, 0, new RandomStream(1), factorizedStft: true)),
        };
        foreach (var (name, make) in makers)
        {
            using var critic = make();
            using var real = Tensor.Randn([batch, 1, samples], new RandomStream(3)) * 0.3;
            using var fake = Tensor.Randn([batch, 1, samples], new RandomStream(4)) * 0.3;
            long parameters = critic.NamedParameters().Sum(p => (long)p.Value.Numel);
            double score = GeneratorSuite.Median(reps, () =>
            {
                using var scope = TensorScope.Begin();
                var x = fake.Detach().RequireGrad();
                critic.Score(x, null).Mean().Backward();
                foreach (var (_, p) in critic.NamedParameters()) p.Grad = null;
            });
            double penalty = GeneratorSuite.Median(reps, () =>
            {
                using var scope = TensorScope.Begin();
                GanLosses.GradientPenalty(x => critic.Score(x, null), real, fake, 10, new RandomStream(5)).Backward();
                foreach (var (_, p) in critic.NamedParameters()) p.Grad = null;
            });
            Console.WriteLine($"{name,-40} {parameters,10:N0} {score,13:F1} {penalty,11:F1}");
        }
        return 0;
    }
}
