using System.Diagnostics;
using System.Globalization;
using GanAudio.App.Models;
using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;
using GanAudio.Kernels.Cuda;
using GanAudio.Nn;
using GanAudio.Nn.Losses;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Bench;

/// <summary>One WaveGAN WGAN-GP training iteration, as <c>Trainer.TrainIteration</c> runs it: a critic update
/// (D(real), D(fake) with G under no-grad, gradient penalty by double backprop, λ = 10) and a generator update,
/// Adam(1e-4, 0.5, 0.9), batch 16, 16384 samples, random data. bench/TorchBench's `step` suite times the same
/// iteration with libtorch, bench/torch/wavegan_step.py with PyTorch on a GPU. Prints median ms of the critic step, the
/// generator step and the whole iteration, the process's peak resident memory (VmHWM) and the tensor allocator's peaks
/// (CPU buffer pool or CUDA caching allocator: live and reserved bytes), and a machine-readable
/// <c>RESULT</c> line per model size (tools/gpu/check.sh reads it). As in the trainer, the losses, the penalty and the
/// Wasserstein terms stay on the device (one <see cref="LossRows"/> row per iteration, read once after the timed
/// iterations). Timing is host wall-clock: each phase ends with one device synchronisation, which waits for its work.
/// On CUDA it also prints the device counters per timed iteration — host synchronisations (the two of the phase timings),
/// kernel launches, driver allocations after the warm-up and bytes each way — beside the times, and adds them to the
/// <c>RESULT</c> line (<c>syncs_per_iter</c>, <c>launches_per_iter</c>, <c>driver_allocs</c>, <c>h2d_bytes_per_iter</c>,
/// <c>d2h_bytes_per_iter</c>).</summary>
public sealed class StepSuite : IBenchSuite
{
    public string Name => "step";

    public string Description => "WaveGAN WGAN-GP training iteration, critic + generator step (--d 32, --iters n, --warmup n, --threads n, --batch n, --device cpu|cuda, --precision tf32|fp32)";

    private static bool TryPrecision(string? word, out MathPrecision p)
    {
        p = word == "fp32" ? MathPrecision.Fp32 : MathPrecision.Tf32;
        return word is "tf32" or "fp32";
    }

    public int Run(string[] args)
    {
        var ds = new List<int>();
        int iters = 7, batch = 16, warmup = 2;
        var device = Device.Cpu;
        var precision = MathPrecision.Tf32;  // as GanApp's --precision default (and PyTorch's cuDNN default)
        for (int i = 0; i < args.Length; i++)
        {
            string? v = i + 1 < args.Length ? args[i + 1] : null;
            bool ok = args[i] switch
            {
                "--d" => Positive(v, x => ds.Add(x)),
                "--iters" => Positive(v, x => iters = x),
                "--batch" => Positive(v, x => batch = x),
                "--warmup" => v != null && int.TryParse(v, out warmup) && warmup >= 0,
                "--threads" => Positive(v, x => CpuParallel.MaxThreads = x),
                "--device" => v != null && TryDevice(v, out device),
                "--precision" => TryPrecision(v, out precision),
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"step: bad option '{args[i]}{(v == null ? "" : " " + v)}': use --d N, --iters N, --warmup N, --batch N, --threads N, --device cpu|cuda[:N], --precision tf32|fp32");
                return 2;
            }
            i++;
        }
        if (ds.Count == 0) ds.Add(32);
        CudaBackend? cuda;
        Devices.Precision = precision;
        try
        {
            cuda = device.Type == DeviceType.Cuda ? (CudaBackend)Devices.Backend(device) : null;
        }
        catch (CudaException e)
        {
            Console.Error.WriteLine($"step: {device} cannot start: {e.Message}");
            return 1;
        }
        string where = cuda == null ? $"{CpuParallel.MaxThreads} thread(s)" : $"{device} {cuda.DeviceName}{(cuda.IsSimulator ? " (CPU simulator)" : "")}, conv {cuda.ConvolutionPath}, TF32 {(cuda.Tf32Active ? "on" : "off")}";
        Console.WriteLine($"GanAudio WaveGAN WGAN-GP step, {where}, batch {batch}, 16384 samples, " +
            $"1 critic step + 1 generator step, {iters} timed iterations after {warmup} warm-up");
        Console.WriteLine(StepTable.Header);
        foreach (int d in ds)
        {
            Devices.ResetPeakMemory(device);
            var (dMs, gMs, itMs, c) = Time(d, batch, iters, warmup, device);
            var mem = Devices.Memory(device);
            long rss = PeakMemory.ResidentBytes();
            Console.WriteLine(StepTable.Row(d, batch, dMs, gMs, itMs));
            Console.WriteLine(StepTable.Memory(rss, FormattableString.Invariant(
                $"{(cuda == null ? "buffer pool" : "CUDA allocator")} peak {PeakMemory.Mib(mem.PeakLiveBytes):F0} MiB live, {PeakMemory.Mib(mem.PeakReservedBytes):F0} MiB reserved")));
            string peak = cuda == null ? "" : FormattableString.Invariant($" peak_mib={cuda.PeakBytes / 1048576.0:F0}");
            string counts = "";
            if (cuda != null)
            {
                double n = iters;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  per timed iteration: {c.HostSyncs / n:F1} host syncs (the 2 phase timings; losses stay on the device), {c.Launches / n:F0} launches, ") +
                    string.Create(CultureInfo.InvariantCulture,
                    $"{c.DriverAllocations} driver allocations after warm-up (in {iters} iterations), {c.BytesToDevice / n:F0} bytes to the device, {c.BytesFromDevice / n:F0} from it"));
                counts = FormattableString.Invariant(
                    $" syncs_per_iter={c.HostSyncs / n:F2} launches_per_iter={c.Launches / n:F1} driver_allocs={c.DriverAllocations} h2d_bytes_per_iter={c.BytesToDevice / n:F0} d2h_bytes_per_iter={c.BytesFromDevice / n:F0}");
            }
            Console.WriteLine(FormattableString.Invariant($"RESULT d={d} batch={batch} critic_ms={dMs:F2} gen_ms={gMs:F2} iter_ms={itMs:F2}{peak}{counts} rss_peak_mib={PeakMemory.Mib(rss):F0} pool_peak_live_mib={PeakMemory.Mib(mem.PeakLiveBytes):F0} pool_peak_reserved_mib={PeakMemory.Mib(mem.PeakReservedBytes):F0}"));
        }
        return 0;
    }

    private static bool Positive(string? v, Action<int> set)
    {
        if (v == null || !int.TryParse(v, out int x) || x <= 0) return false;
        set(x);
        return true;
    }

    private static bool TryDevice(string v, out Device device)
    {
        try
        {
            device = Device.Parse(v);
            return true;
        }
        catch (FormatException)
        {
            device = Device.Cpu;
            return false;
        }
    }

    /// <summary>Median critic, generator and iteration times, and the device counters of the timed iterations together.</summary>
    private static (double D, double G, double It, DeviceCounters Counts) Time(int d, int batch, int iters, int warmup, Device device)
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
            g = new WaveGanGenerator(o, init, DType.Float32, device);
            disc = new WaveGanDiscriminator(o, init, shuffleRng, DType.Float32, device);
            optG = new Adam(g.NamedParameters(), 1e-4, 0.5, 0.9);
            optD = new Adam(disc.NamedParameters(), 1e-4, 0.5, 0.9);
        }
        var dTimes = new List<double>();
        var gTimes = new List<double>();
        var itTimes = new List<double>();
        var backend = Devices.Backend(device);
        // columns: critic loss, penalty, E[D(real)], E[D(fake)], generator loss
        using var rows = new LossRows(iters + warmup, 5, device);
        DeviceCounters start = default;
        for (int it = 0; it < iters + warmup; it++)
        {
            if (it == warmup) start = Devices.Counters(device);
            var sw = Stopwatch.StartNew();
            using (TensorScope.Begin())
            {
                var real = Tensor.Rand([batch, 1, length], dataRng, -1, 1, DType.Float32, device);
                var z = Tensor.Rand([batch, latent], zRng, -1, 1, DType.Float32, device);
                Tensor fake;
                // as the trainer: each forward pass in a graph scope (intermediates freed by its end or by backward)
                using (GradMode.NoGrad()) fake = GraphScope.Run(() => g.Generate(z, null));
                optD.ZeroGrad();
                var dReal = GraphScope.Run(() => disc.Score(real, null));
                var dFake = GraphScope.Run(() => disc.Score(fake, null));
                var loss = GanLosses.WassersteinCritic(dReal, dFake);
                var pen = GanLosses.GradientPenalty(x => GraphScope.Run(() => disc.Score(x, null)), real, fake, lambda, gpRng);
                rows.Write(1, pen);
                loss = loss + pen;
                loss.Backward();
                optD.Step();
                optD.ZeroGrad();  // as the trainer: gradients freed after the step, not held through the other phase
                rows.Write(0, loss);
                rows.Write(2, dReal.Mean());
                rows.Write(3, dFake.Mean());
                backend.Synchronize();
            }
            double dMs = sw.Elapsed.TotalMilliseconds;
            foreach (var p in disc.Parameters()) p.RequiresGrad = false;
            using (TensorScope.Begin())
            {
                var z = Tensor.Rand([batch, latent], zRng, -1, 1, DType.Float32, device);
                optG.ZeroGrad();
                var loss = GanLosses.WassersteinGenerator(GraphScope.Run(() => disc.Score(g.Generate(z, null), null)));
                loss.Backward();
                optG.Step();
                optG.ZeroGrad();
                rows.Write(4, loss);
                rows.EndRow();
                backend.Synchronize();
            }
            foreach (var p in disc.Parameters()) p.RequiresGrad = true;
            double itMs = sw.Elapsed.TotalMilliseconds;
            if (it < warmup) continue;
            dTimes.Add(dMs);
            gTimes.Add(itMs - dMs);
            itTimes.Add(itMs);
        }
        var counts = Devices.Counters(device) - start;
        var losses = rows.Read();
        if (losses.Any(v => !double.IsFinite(v))) Console.Error.WriteLine($"step: d={d}: a non-finite loss in the benchmark's iterations");
        g.Dispose();
        disc.Dispose();
        optG.Dispose();
        optD.Dispose();
        return (KernelShapes.Median(dTimes), KernelShapes.Median(gTimes), KernelShapes.Median(itTimes), counts);
    }
}
