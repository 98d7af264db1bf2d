using System.Diagnostics;
using GanAudio.App.Models;
using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;
using GanAudio.Nn;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Bench;

/// <summary>One WaveGAN WGAN-GP training iteration, as <c>Trainer.TrainIteration</c> runs it: a critic update
/// (D(real), D(fake) with G under no-grad, gradient penalty by double backprop, λ = 10) and a generator update,
/// Adam(1e-4, 0.5, 0.9), batch 16, 16384 samples, random data. bench/TorchBench's `step` suite times the same
/// iteration with libtorch. Prints median ms of the critic step, the generator step and the whole iteration.</summary>
public sealed class StepSuite : IBenchSuite
{
    public string Name => "step";

    public string Description => "WaveGAN WGAN-GP training iteration, critic + generator step (--d 32, --iters n, --threads n, --batch n)";

    public int Run(string[] args)
    {
        var ds = new List<int>();
        int iters = 7, batch = 16;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") ds.Add(int.Parse(args[i + 1]));
            if (args[i] == "--iters") iters = int.Parse(args[i + 1]);
            if (args[i] == "--batch") batch = int.Parse(args[i + 1]);
            if (args[i] == "--threads") CpuParallel.MaxThreads = int.Parse(args[i + 1]);
        }
        if (ds.Count == 0) ds.Add(32);
        Console.WriteLine($"GanAudio WaveGAN WGAN-GP step, {CpuParallel.MaxThreads} thread(s), batch {batch}, 16384 samples, " +
            $"1 critic step + 1 generator step, {iters} timed iterations after 2 warm-up");
        Console.WriteLine(StepTable.Header);
        foreach (int d in ds)
        {
            var (dMs, gMs, itMs) = Time(d, batch, iters);
            Console.WriteLine(StepTable.Row(d, batch, dMs, gMs, itMs));
        }
        return 0;
    }

    private static (double D, double G, double It) Time(int d, int batch, int iters)
    {
        const int latent = 100, length = 16384;
        const double lambda = 10;
        var init = new RandomStream(1);
        var shuffleRng = new RandomStream(2);
        var zRng = new RandomStream(3);
        var gpRng = new RandomStream(4);
        var dataRng = new RandomStream(5);
        var o = new WaveGanOptions { ModelSize = d, LatentDim = latent, Length = length };
        WaveGanGenerator g;
        WaveGanDiscriminator disc;
        Adam optG, optD;
        using (TensorScope.Suspend())
        {
            g = new WaveGanGenerator(o, init);
            disc = new WaveGanDiscriminator(o, init, shuffleRng);
            optG = new Adam(g.NamedParameters(), 1e-4, 0.5, 0.9);
            optD = new Adam(disc.NamedParameters(), 1e-4, 0.5, 0.9);
        }
        var dTimes = new List<double>();
        var gTimes = new List<double>();
        var itTimes = new List<double>();
        for (int it = 0; it < iters + 2; it++)
        {
            var sw = Stopwatch.StartNew();
            using (TensorScope.Begin())
            {
                var real = Tensor.Rand([batch, 1, length], dataRng, -1, 1);
                var z = Tensor.Rand([batch, latent], zRng, -1, 1);
                Tensor fake;
                using (GradMode.NoGrad()) fake = g.Generate(z, null);
                optD.ZeroGrad();
                var dReal = disc.Score(real, null);
                var dFake = disc.Score(fake, null);
                var loss = GanLosses.WassersteinCritic(dReal, dFake);
                var pen = GanLosses.GradientPenalty(x => disc.Score(x, null), real, fake, lambda, gpRng);
                _ = pen.Item();
                loss = loss + pen;
                loss.Backward();
                optD.Step();
                _ = loss.Item();
                _ = dReal.Mean().Item() - dFake.Mean().Item();
            }
            double dMs = sw.Elapsed.TotalMilliseconds;
            foreach (var p in disc.Parameters()) p.RequiresGrad = false;
            using (TensorScope.Begin())
            {
                var z = Tensor.Rand([batch, latent], zRng, -1, 1);
                optG.ZeroGrad();
                var loss = GanLosses.WassersteinGenerator(disc.Score(g.Generate(z, null), null));
                loss.Backward();
                optG.Step();
                _ = loss.Item();
            }
            foreach (var p in disc.Parameters()) p.RequiresGrad = true;
            double itMs = sw.Elapsed.TotalMilliseconds;
            if (it < 2) continue;
            dTimes.Add(dMs);
            gTimes.Add(itMs - dMs);
            itTimes.Add(itMs);
        }
        g.Dispose();
        disc.Dispose();
        optG.Dispose();
        optD.Dispose();
        return (KernelShapes.Median(dTimes), KernelShapes.Median(gTimes), KernelShapes.Median(itTimes));
    }
}
