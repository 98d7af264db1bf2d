using System.Diagnostics;
using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;

namespace GanAudio.Bench;

/// <summary>CPU kernel benchmarks: FMA peak, GEMM 1024³, conv1d / conv-transpose1d forward and weight gradients
/// on the WaveGAN layer shapes (d = 16, 32, 64; batch 16; 16384 samples), and phase shuffle fwd + bwd against the former
/// composite (<see cref="PhaseShuffleBench"/>, filter "phase shuffle"). Prints median ms, GFLOP/s and the
/// fraction of the measured FMA peak. bench/TorchBench prints the same rows for libtorch.</summary>
public sealed class KernelsSuite : IBenchSuite
{
    public string Name => "kernels";

    public string Description => "FMA peak, GEMM 1024^3, WaveGAN conv1d/convT1d fwd + dW, unary exp/log/tanh/sigmoid, phase shuffle (--quick, --d 32, --filter text, --threads n, --no-dw, --reps n); " +
                                 "--device cuda: every CUDA kernel with GB/s or GFLOP/s against the device's peak";

    public int Run(string[] args)
    {
        int dev = Array.IndexOf(args, "--device");
        if (dev >= 0 && dev + 1 < args.Length && args[dev + 1].StartsWith("cuda", StringComparison.Ordinal)) return CudaKernelsBench.Run(args);
        bool quick = args.Contains("--quick");
        bool dw = !args.Contains("--no-dw");
        var ds = new List<int>();
        string? filter = null;
        int reps = 0;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") ds.Add(int.Parse(args[i + 1]));
            if (args[i] == "--filter") filter = args[i + 1];
            if (args[i] == "--threads") CpuParallel.MaxThreads = int.Parse(args[i + 1]);
            if (args[i] == "--reps") reps = int.Parse(args[i + 1]);
        }
        if (ds.Count == 0) ds.AddRange([16, 32, 64]);
        int threads = CpuParallel.MaxThreads;
        double peak = FmaPeak.Measure(threads);
        Console.WriteLine($"GanAudio CPU kernels, {threads} thread(s), Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"FMA peak (register-only loop, {threads} thread(s)): {peak:F1} GFLOP/s");
        var be = CpuBackend.Instance;
        bool shapesHeader = false;
        foreach (var c in KernelShapes.Cases(ds, dw))
        {
            if (filter is not null && !c.Name.Contains(filter)) continue;
            if (!shapesHeader) Console.WriteLine(KernelShapes.Header + $" {"best ms",9} {"of peak",8}");
            shapesHeader = true;
            var (ms, best) = Time(be, c, quick, reps);
            Console.WriteLine(KernelShapes.Row(c, ms, peak) + $" {best,9:F3} {c.Flops / best / 1e6 / peak,8:P0}");
        }
        bool header = false;
        foreach (var op in ElementwiseBench.Ops)
        {
            string name = "unary " + op.ToString().ToLowerInvariant();
            if (filter is not null && !name.Contains(filter)) continue;
            if (!header) Console.WriteLine(ElementwiseBench.Header);
            header = true;
            var (med, best) = ElementwiseBench.Time(be, op, Math.Max(reps, quick ? 5 : 20));
            Console.WriteLine(ElementwiseBench.Row(op, med, best));
        }
        var shuffles = PhaseShuffleBench.Names.Where(n => filter is null || n.Contains(filter)).ToList();
        if (shuffles.Count > 0)
        {
            Console.WriteLine(PhaseShuffleBench.Header);
            foreach (var n in shuffles) Console.WriteLine(PhaseShuffleBench.Row(n, quick));
        }
        return 0;
    }

    /// <summary>Median and best ms of one case: at least <paramref name="reps"/> runs (default 7, 3 with quick), more while
    /// the time budget lasts.</summary>
    private static (double Median, double Best) Time(IBackend be, KernelCase c, bool quick, int reps)
    {
        var bufs = new List<DeviceBuffer>();
        DeviceBuffer Rand(long n, int seed)
        {
            var b = be.Allocate(DType.Float32, (int)n);
            be.RandomNormal(b, (int)n, (ulong)seed, 0, 0, 1);
            bufs.Add(b);
            return b;
        }
        Action op;
        if (c.Kind == KernelCaseKind.Gemm)
        {
            var a = Rand((long)c.M * c.K, 1);
            var b = Rand((long)c.K * c.N, 2);
            var y = Rand((long)c.M * c.N, 3);
            var g = new GemmArgs(false, false, c.M, c.N, c.K);
            op = () => be.Gemm(g, a, b, y);
        }
        else
        {
            var g = new Conv1dGeometry(c.Batch, c.CIn, c.COut, c.LIn, c.LOut, c.Kernel, c.Stride, c.Padding);
            var x = Rand((long)c.Batch * c.CIn * c.LIn, 1);
            var w = Rand((long)c.COut * c.CIn * c.Kernel, 2);
            var y = Rand((long)c.Batch * c.COut * c.LOut, 3);
            var bias = Rand(c.COut, 4);
            op = c.Kind switch
            {
                KernelCaseKind.Conv1d => () => be.Conv1dForward(g, x, w, bias, y),
                KernelCaseKind.ConvTranspose1d => () => be.Conv1dBackwardData(g, y, w, x),
                _ => () => be.Conv1dBackwardWeight(g, x, y, w),
            };
        }
        op();
        op();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        int minRuns = reps > 0 ? reps : quick ? 3 : 7;
        double budget = quick ? 0.3 : 1.0;
        while (times.Count < minRuns || (total.Elapsed.TotalSeconds < budget && times.Count < 50))
        {
            var sw = Stopwatch.StartNew();
            op();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        foreach (var b in bufs) b.Dispose();
        return (KernelShapes.Median(times), times.Min());
    }
}
