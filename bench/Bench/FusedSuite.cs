using System.Diagnostics;
using GanAudio.Kernels.Cpu;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Bench;

/// <summary>Fused ops against the composites they replace, on the CPU at WaveGAN shapes (batch 16, 16384 samples, model
/// size d): bias + leaky ReLU after each critic conv (forward, and forward + backward), the bias + activation alone, the
/// gradient penalty's per-example norm, and Adam over the critic's parameters (one call vs one per tensor).
/// Prints median ms of each and the ratio composite / fused.</summary>
public sealed class FusedSuite : IBenchSuite
{
    public string Name => "fused";

    public string Description => "fused vs composite: bias+leaky ReLU (WaveGAN critic convs), GP norm, multi-tensor Adam (--d 32, --threads n, --quick)";

    private bool quick;

    public int Run(string[] args)
    {
        quick = args.Contains("--quick");
        int d = 32;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") d = int.Parse(args[i + 1]);
            if (args[i] == "--threads") CpuParallel.MaxThreads = int.Parse(args[i + 1]);
        }
        const int batch = 16, samples = 16384;
        Console.WriteLine($"GanAudio fused ops on the CPU, {CpuParallel.MaxThreads} thread(s), WaveGAN d={d}, batch {batch}, {samples} samples");
        Console.WriteLine($"{"case",-44} {"composite ms",13} {"fused ms",10} {"ratio",7}");
        var g = new RandomStream(1);
        (int In, int Out)[] layers = [(1, d), (d, 2 * d), (2 * d, 4 * d), (4 * d, 8 * d), (8 * d, 16 * d)];
        int len = samples;
        var all = new List<Tensor>();
        foreach (var (cin, cout) in layers)
        {
            using var x = Tensor.Randn([batch, cin, len], g);
            using var w = (Tensor.Randn([cout, cin, 25], g) * 0.05).RequireGrad();
            using var b = (Tensor.Randn([cout], g) * 0.1).RequireGrad();
            int lout = Tensor.Conv1dOutputLength(len, 25, 4, 11);
            using var r = Tensor.Randn([batch, cout, lout], g);
            using var z = Tensor.Conv1d(x, w.Detach(), null, 4, 11);
            string shape = $"[{batch},{cout},{lout}]";
            Row($"bias+leaky alone {shape}",
                () => (z + b.Detach().Reshape(1, cout, 1)).LeakyRelu(0.2),
                () => Tensor.BiasLeakyRelu(z, b.Detach(), 0.2), noGrad: true);
            Row($"conv+bias+leaky fwd {shape}",
                () => Tensor.Conv1d(x, w, b, 4, 11).LeakyRelu(0.2),
                () => Tensor.BiasLeakyRelu(Tensor.Conv1d(x, w, null, 4, 11), b, 0.2), noGrad: true);
            Row($"conv+bias+leaky fwd+bwd {shape}",
                () => Backward(Tensor.Conv1d(x, w, b, 4, 11).LeakyRelu(0.2), r, w, b),
                () => Backward(Tensor.BiasLeakyRelu(Tensor.Conv1d(x, w, null, 4, 11), b, 0.2), r, w, b), noGrad: false);
            all.Add(Tensor.Randn(w.Shape, g) * 0.05);
            all.Add(Tensor.Randn(b.Shape, g) * 0.1);
            len = lout;
        }
        using (var gp = Tensor.Randn([64, 1, samples], g))
            Row("GP norm [64,1,16384]", () => (gp.SumSquares([1, 2]) + 1e-12).Sqrt(), () => gp.PerExampleNorm(1e-12), noGrad: true);
        all.Add(Tensor.Randn([1, 16 * d * 16], g));
        AdamRow(all, g);
        foreach (var t in all) t.Dispose();
        return 0;
    }

    private static Tensor Backward(Tensor y, Tensor r, Tensor w, Tensor b)
    {
        var gs = Engine.Grad([(y * r).Sum()], [w, b]);
        return gs[0]!;
    }

    private void AdamRow(List<Tensor> ps, RandomStream g)
    {
        var grads = ps.Select(p => Tensor.Randn(p.Shape, g)).ToList();
        var m = ps.Select(p => p.ZerosLike()).ToList();
        var v = ps.Select(p => p.ZerosLike()).ToList();
        long step = 0;
        long n = ps.Sum(p => (long)p.Numel);
        Row($"Adam over {ps.Count} critic tensors ({n} elements)",
            () =>
            {
                step++;
                for (int i = 0; i < ps.Count; i++) Tensor.AdamStepInPlace(ps[i], grads[i], m[i], v[i], null, 1e-4, 0.5, 0.9, 1e-8, 0, step);
                return null;
            },
            () =>
            {
                step++;
                Tensor.AdamStepMultiInPlace(ps.Select((p, i) => new AdamTensors(p, grads[i], m[i], v[i], null)).ToList(), 1e-4, 0.5, 0.9, 1e-8, 0, step);
                return null;
            }, noGrad: true);
        foreach (var t in grads.Concat(m).Concat(v)) t.Dispose();
    }

    private void Row(string name, Func<Tensor?> composite, Func<Tensor?> fused, bool noGrad)
    {
        double a = Time(composite, noGrad), b = Time(fused, noGrad);
        Console.WriteLine($"{name,-44} {a,13:F3} {b,10:F3} {a / b,7:F2}");
    }

    private double Time(Func<Tensor?> op, bool noGrad)
    {
        void Once()
        {
            using var scope = TensorScope.Begin();
            using var ng = noGrad ? GradMode.NoGrad() : null;
            op();
        }
        Once();
        Once();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        int minRuns = quick ? 3 : 7;
        double budget = quick ? 0.5 : 2.0;
        while (times.Count < minRuns || (total.Elapsed.TotalSeconds < budget && times.Count < 40))
        {
            var sw = Stopwatch.StartNew();
            Once();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return KernelShapes.Median(times);
    }
}
