using System.Diagnostics;
using GanAudio.App.Models;
using GanAudio.Kernels.Cpu;
using GanAudio.Tensors;

namespace GanAudio.Bench;

/// <summary>The generator outputs side by side on the CPU (<c>--generator-output wave | stft | stft-if</c>, WaveGAN's
/// upsampling generator for <c>wave</c>): median ms of a forward without gradients (what a critic step costs) and of a
/// forward + backward (a generator step), batch 16, 16384 samples, model size d, and the parameter count. Shows what the
/// frame-rate generators cost against WaveGAN's.</summary>
public sealed class GeneratorSuite : IBenchSuite
{
    public string Name => "generators";

    public string Description => "generator outputs (wave, stft, stft-if): forward / forward+backward ms, batch 16 (--d 8, --threads n, --reps 7)";

    public int Run(string[] args)
    {
        int d = 8, reps = 7;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") d = int.Parse(args[i + 1]);
            if (args[i] == "--reps") reps = int.Parse(args[i + 1]);
            if (args[i] == "--threads") CpuParallel.MaxThreads = int.Parse(args[i + 1]);
        }
        const int batch = 16, samples = 16384, latent = 100;
        Console.WriteLine($"GanAudio generators on the CPU, {CpuParallel.MaxThreads} thread(s), d={d}, batch {batch}, {samples} samples, medians of {reps}");
        Console.WriteLine($"{"generator",-34} {"params",10} {"forward ms",11} {"fwd+bwd ms",11}");
        var makers = new (string Name, Func<GeneratorModule> Make)[]
        {
            ("wave (upsample + conv)", () => new WaveGanGenerator(new WaveGanOptions { ModelSize = d, Length = samples, Upsample = true }, new RandomStream(1))),
            ("stft (real, imaginary)", () => new StftGenerator(d, latent, samples, 0, gen: new RandomStream(1))),
            ("stft-if (log-magnitude, IF)", () => new StftGenerator(d, latent, samples, 0, gen: new RandomStream(1), instantaneousFrequency: true)),
            ("stft-if, FFT 1024 (the demo's)", () => new StftGenerator(d, latent, samples, 0, gen: new RandomStream(1), instantaneousFrequency: true, fft: 1024)),
        };
        foreach (var (name, make) in makers)
        {
            using var g = make();
            using var z = Tensor.Rand([batch, latent], new RandomStream(2), -1, 1);
            using var w = Tensor.Randn([batch, 1, samples], new RandomStream(3));
            long parameters = g.NamedParameters().Sum(p => (long)p.Value.Numel);
            double fwd = Median(reps, () =>
            {
                using var scope = TensorScope.Begin();
                using var _ = Tensors.Autograd.GradMode.NoGrad();
                g.Generate(z, null);
            });
            double both = Median(reps, () =>
            {
                using var scope = TensorScope.Begin();
                (g.Generate(z, null) * w).Sum().Backward();
                foreach (var (_, p) in g.NamedParameters()) p.Grad = null;
            });
            Console.WriteLine($"{name,-34} {parameters,10:N0} {fwd,11:F1} {both,11:F1}");
        }
        return 0;
    }

    /// <summary>Median ms of <paramref name="reps"/> runs after one warm-up.</summary>
    internal static double Median(int reps, Action run)
    {
        run();
        var times = new List<double>(reps);
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return KernelShapes.Median(times);
    }
}
