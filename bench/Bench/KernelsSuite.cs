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

    public string Description => "FMA peak, GEMM 1024^3, WaveGAN conv1d/convT1d fwd + dW (--quick, --d 32, --filter text, --threads n, --no-dw); " +
                                 "--device cuda: every CUDA kernel with GB/s or GFLOP/s against the device's peak";

    public int Run(string[] args)
    {
        int dev = Array.IndexOf(args, "--device");
        if (dev >= 0 && dev + 1 < args.Length && args[dev + 1].StartsWith("cuda", StringComparison.Ordinal)) return CudaKernelsBench.Run(args);
        bool quick = args.Contains("--quick");
        bool dw = !args.Contains("--no-dw");
        var ds = new List<int>();
        string? filter = null;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") ds.Add(int.Parse(args[i + 1]));
            if (args[i] == "--filter") filter = args[i + 1];
            if (args[i] == "--threads") CpuParallel.MaxThreads = int.Parse(args[i + 1]);
        }
        if (ds.Count == 0) ds.AddRange([16, 32, 64]);
        int threads = CpuParallel.MaxThreads;
        double peak = FmaPeak.Measure(threads);
        Console.WriteLine($"GanAudio CPU kernels, {threads} thread(s), Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"FMA peak (register-only loop, {threads} thread(s)): {peak:F1} GFLOP/s");
        var be = CpuBackend.Instance;
        var cases = KernelShapes.Cases(ds, dw).Where(c => filter is null || c.Name.Contains(filter)).ToList();
        if (cases.Count > 0) Console.WriteLine(KernelShapes.Header);
        foreach (var c in cases)
        {
            double ms = Time(be, c, quick);
            Console.WriteLine(KernelShapes.Row(c, ms, peak));
        }
        var shuffles = PhaseShuffleBench.Names.Where(n => filter is null || n.Contains(filter)).ToList();
        if (shuffles.Count > 0)
        {
            Console.WriteLine(PhaseShuffleBench.Header);
            foreach (var n in shuffles) Console.WriteLine(PhaseShuffleBench.Row(n, quick));
        }
        return 0;
    }

    private static double Time(IBackend be, KernelCase c, bool quick)
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
        int minRuns = quick ? 3 : 7;
        double budget = quick ? 0.3 : 1.0;
        while (times.Count < minRuns || (total.Elapsed.TotalSeconds < budget && times.Count < 50))
        {
            var sw = Stopwatch.StartNew();
            op();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        foreach (var b in bufs) b.Dispose();
        return KernelShapes.Median(times);
    }
}
