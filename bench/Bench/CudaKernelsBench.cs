using System.Diagnostics;
using GanAudio.Kernels;
using GanAudio.Kernels.Cuda;

namespace GanAudio.Bench;

/// <summary><c>kernels --device cuda</c>: the CUDA backend's kernels timed with CUDA events (median of several repetitions,
/// each repetition enough back-to-back launches to last ~1 ms), printed with GB/s or GFLOP/s and the fraction of the
/// device's peak (<see cref="CudaPeaks"/>): elementwise, reductions, copies (contiguous, strided, converting), Adam,
/// random, GEMM, and conv1d forward / backward-data / backward-weight on the WaveGAN layer shapes (batch 64, 16384
/// samples, d = 32 and 64; the generator's conv-transposes are conv1d backward-data and their weight gradients). Also the
/// host cost of one launch. <c>--quick</c>: tiny sizes for the CPU simulator (times mean nothing there).</summary>
internal static class CudaKernelsBench
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        string? filter = null;
        var ds = new List<int>();
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") ds.Add(int.Parse(args[i + 1]));
            if (args[i] == "--filter") filter = args[i + 1];
        }
        if (ds.Count == 0) ds.AddRange(quick ? [2] : [32, 64]);
        CudaBackend be;
        try
        {
            be = CudaBackend.Create(new CudaOptions());
        }
        catch (CudaException e)
        {
            Console.Error.WriteLine($"error: no CUDA backend here: {e.Message}");
            return 1;
        }
        var info = be.Info;
        var peaks = CudaPeaks.For(info);
        Console.WriteLine($"GanAudio CUDA kernels on {info.Name} (sm_{info.ComputeCapability}, {info.Multiprocessors} SMs, " +
                          $"{info.TotalMemory / (1L << 30)} GiB){(info.IsSimulator ? " -- CPU simulator: the times mean nothing" : "")}");
        Console.WriteLine($"peak DRAM bandwidth: {peaks.BandwidthGBs:F0} GB/s ({peaks.BandwidthSource})");
        Console.WriteLine($"peak FP32: {peaks.Fp32Gflops:F0} GFLOP/s ({peaks.Fp32Source})");
        Console.WriteLine($"peak TF32 tensor: {(peaks.Tf32Gflops > 0 ? $"{peaks.Tf32Gflops:F0} GFLOP/s" : "-")} ({peaks.Tf32Source}); " +
                          "GEMM and conv here use cuBLAS in full FP32 (CUBLAS_DEFAULT_MATH), so their fractions are of the FP32 peak");
        Console.WriteLine("times: CUDA events, median of the repetitions; GB/s counts bytes read + written once each");
        var bench = new Runner(be, quick, filter);
        bench.Memory(quick ? 4099 : 1 << 25, peaks.BandwidthGBs, Kind(peaks.BandwidthSource));
        bench.Launch();
        bench.Compute(ds, quick ? 1 : 64, quick ? 1024 : 16384, peaks.Fp32Gflops, Kind(peaks.Fp32Source));
        return 0;
    }

    private static string Kind(string source) => source.StartsWith("stated", StringComparison.Ordinal) ? "stated" : "derived";

    private sealed class Runner(CudaBackend be, bool quick, string? filter)
    {
        private readonly List<DeviceBuffer> buffers = [];

        private DeviceBuffer Buffer(long n, DType t = DType.Float32, double fill = double.NaN, int seed = 0)
        {
            var b = be.Allocate(t, checked((int)n));
            if (double.IsNaN(fill)) be.RandomNormal(b, (int)n, (ulong)seed, 0, 0, 1);
            else be.Fill(b, 0, (int)n, fill);
            buffers.Add(b);
            return b;
        }

        private void Free()
        {
            foreach (var b in buffers) b.Dispose();
            buffers.Clear();
            be.EmptyCache();
        }

        private bool Skip(string name) => filter is not null && !name.Contains(filter, StringComparison.Ordinal);

        /// <summary>Median milliseconds of one call of <paramref name="op"/>: after a warm-up, repetitions of k back-to-back
        /// calls between two events (k chosen so one repetition lasts about 1 ms), the median over the repetitions / k.</summary>
        private double MedianMs(Action op)
        {
            op();
            be.Synchronize();
            using var timer = be.CreateTimer();
            timer.Start();
            op();
            timer.Stop();
            double once = Math.Max(timer.ElapsedMilliseconds, 1e-4);
            int k = quick ? 1 : (int)Math.Clamp(Math.Ceiling(1.0 / once), 1, 200);
            int reps = quick ? 2 : once > 50 ? 5 : 11;
            var times = new List<double>();
            for (int r = 0; r < reps; r++)
            {
                timer.Start();
                for (int i = 0; i < k; i++) op();
                timer.Stop();
                times.Add(timer.ElapsedMilliseconds / k);
            }
            return KernelShapes.Median(times);
        }

        private void MemoryRow(string name, string shape, double bytes, double peakGBs, Action op)
        {
            if (Skip(name)) return;
            double ms = MedianMs(op);
            double gbs = bytes / (ms * 1e-3) / 1e9;
            Console.WriteLine($"{name,-32} {shape,-30} {ms,10:F4} ms {gbs,10:F1} GB/s {gbs / peakGBs,8:P1} of peak");
        }

        public void Memory(int n, double peakGBs, string peakKind)
        {
            Console.WriteLine();
            Console.WriteLine($"{"memory-bound kernel",-32} {"shape",-30} {"median",13} {"rate",15} {"of " + peakKind + " peak",16}");
            int cols = quick ? 37 : 1024, rows = n / cols;
            int m = rows * cols;
            var x = Buffer(n, seed: 1);
            var y = Buffer(n, seed: 2);
            var z = Buffer(n, seed: 3);
            var row = Buffer(cols, seed: 4);
            var r = Buffer(Math.Max(rows, cols), seed: 5);
            var x64 = Buffer(n, DType.Float64, 0);
            double f = 4;  // bytes per float32
            MemoryRow("fill f32", $"[{n}]", f * n, peakGBs, () => be.Fill(x, 0, n, 0.5));
            MemoryRow("random_normal f32", $"[{n}]", f * n, peakGBs, () => be.RandomNormal(z, n, 9, 0, 0, 1));
            MemoryRow("tanh f32", $"[{n}]", 2 * f * n, peakGBs, () => be.Unary(UnaryOp.Tanh, x, y, n));
            MemoryRow("leaky_relu f32", $"[{n}]", 2 * f * n, peakGBs, () => be.Unary(UnaryOp.LeakyRelu, x, y, n, 0.2));
            var a = new StridedOperand(x, 0, [1]);
            var b = new StridedOperand(y, 0, [1]);
            int[] flat = [n];
            MemoryRow("add f32", $"[{n}] + [{n}]", 3 * f * n, peakGBs, () => be.Binary(BinaryOp.Add, a, b, z, flat));
            var a2 = new StridedOperand(x, 0, [cols, 1]);
            var bRow = new StridedOperand(row, 0, [0, 1]);
            int[] shape2 = [rows, cols];
            MemoryRow("add f32 broadcast row", $"[{rows},{cols}] + [{cols}]", f * (2.0 * m + cols), peakGBs,
                () => be.Binary(BinaryOp.Add, a2, bRow, z, shape2));
            MemoryRow("sum f32 last axis", $"[{rows},{cols}] -> [{rows}]", f * (m + rows), peakGBs, () => be.Reduce(ReduceOp.Sum, x, r, rows, cols, 1));
            MemoryRow("sum f32 first axis", $"[{rows},{cols}] -> [{cols}]", f * (m + cols), peakGBs, () => be.Reduce(ReduceOp.Sum, x, r, 1, rows, cols));
            MemoryRow("max f32 last axis", $"[{rows},{cols}] -> [{rows}]", f * (m + rows), peakGBs, () => be.Reduce(ReduceOp.Max, x, r, rows, cols, 1));
            MemoryRow("copy f32 contiguous", $"[{n}]", 2 * f * n, peakGBs, () => be.Copy(a, flat, y));
            var xT = new StridedOperand(x, 0, [1, cols]);
            int[] tShape = [cols, rows];
            MemoryRow("copy f32 transpose (gather)", $"[{rows},{cols}]^T", 2 * f * m, peakGBs, () => be.Copy(xT, tShape, y));
            var yS = new StridedOperand(y, 0, [1, cols]);
            MemoryRow("copy_strided f32 (both strided)", $"[{cols},{rows}] -> [{cols},{rows}]^T", 2 * f * m, peakGBs,
                () => be.CopyStrided(new StridedOperand(x, 0, [rows, 1]), tShape, yS));
            MemoryRow("copy f32 -> f64", $"[{n}]", 3 * f * n, peakGBs, () => be.Copy(a, flat, x64));
            var mm = Buffer(n, fill: 0);
            var vv = Buffer(n, fill: 1);
            var adam = new AdamArgs(1e-4, 0.5, 0.9, 1e-8, 0, 1);
            MemoryRow("adam_step f32", $"[{n}] p,g,m,v", 7 * f * n, peakGBs, () => be.AdamStep(x, y, mm, vv, null, n, adam));
            Free();
        }

        /// <summary>The host cost of one launch (fill of one element, no synchronisation) and the device time per launch.</summary>
        public void Launch()
        {
            if (Skip("launch")) return;
            var x = Buffer(1, fill: 0);
            int count = quick ? 200 : 20000;
            for (int i = 0; i < 100; i++) be.Fill(x, 0, 1, i);
            be.Synchronize();
            using var timer = be.CreateTimer();
            long alloc = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            timer.Start();
            for (int i = 0; i < count; i++) be.Fill(x, 0, 1, i);
            timer.Stop();
            double host = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            alloc = GC.GetAllocatedBytesForCurrentThread() - alloc;
            double device = timer.ElapsedMilliseconds;
            Console.WriteLine($"launch (fill of 1 element) x{count}: host {host * 1e3 / count:F2} us per launch, " +
                              $"device {device * 1e3 / count:F2} us per launch, {alloc} managed bytes allocated");
            Free();
        }

        public void Compute(List<int> ds, int batch, int length, double peakGflops, string peakKind)
        {
            Console.WriteLine();
            Console.WriteLine($"{"compute-bound kernel",-32} {"shape",-34} {"median",13} {"rate",15} {"of " + peakKind + " FP32 peak",21}");
            var cases = new List<KernelCase>();
            foreach (int g in quick ? [64, 96] : new[] { 1024, 4096 })
                cases.Add(new($"gemm {g}^3", KernelCaseKind.Gemm, 1, 0, 0, 0, 0, M: g, N: g, K: g));
            foreach (var c in KernelShapes.Cases(ds, weightGrads: true, batch, length))
            {
                if (c.Kind == KernelCaseKind.Gemm) continue;
                cases.Add(c);
                // the critic's input gradient (gradient penalty, generator step): conv1d backward-data on the same shape
                if (c.Kind == KernelCaseKind.Conv1d)
                    cases.Add(c with { Name = c.Name + " dX", Kind = KernelCaseKind.ConvTranspose1d });
            }
            foreach (var c in cases)
            {
                if (Skip(c.Name)) continue;
                double ms = MedianMs(Op(c));
                double gflops = c.Flops / (ms * 1e-3) / 1e9;
                Console.WriteLine($"{c.Name,-32} {c.Shape,-34} {ms,10:F4} ms {gflops,9:F1} GFLOP/s {gflops / peakGflops,8:P1} of peak");
                Free();
            }
        }

        private Action Op(KernelCase c)
        {
            if (c.Kind == KernelCaseKind.Gemm)
            {
                var a = Buffer((long)c.M * c.K, seed: 1);
                var b = Buffer((long)c.K * c.N, seed: 2);
                var y = Buffer((long)c.M * c.N, fill: 0);
                var g = new GemmArgs(false, false, c.M, c.N, c.K);
                return () => be.Gemm(g, a, b, y);
            }
            var geo = new Conv1dGeometry(c.Batch, c.CIn, c.COut, c.LIn, c.LOut, c.Kernel, c.Stride, c.Padding);
            var x = Buffer((long)c.Batch * c.CIn * c.LIn, seed: 1);
            var w = Buffer((long)c.COut * c.CIn * c.Kernel, seed: 2);
            var gy = Buffer((long)c.Batch * c.COut * c.LOut, seed: 3);
            var bias = Buffer(c.COut, seed: 4);
            return c.Kind switch
            {
                KernelCaseKind.Conv1d => () => be.Conv1dForward(geo, x, w, bias, gy),
                KernelCaseKind.ConvTranspose1d => () => be.Conv1dBackwardData(geo, gy, w, x),
                _ => () => be.Conv1dBackwardWeight(geo, x, gy, w),
            };
        }
    }
}
