using System.Diagnostics;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Bench;

/// <summary>Phase shuffle forward + backward through autograd at a WaveGAN layer shape ([16, 64, 4096], n = 2): the
/// one-kernel op (Tensor.PhaseShuffle, its adjoint PhaseShuffleBwd) against the slices + cat composite it replaced,
/// with one shift per batch and one per example. GB/s counts the minimum traffic of fwd + bwd (read and write the
/// tensor once each way: 4 · numel · sizeof(float)), the same figure for both paths, so it is a speed ratio.</summary>
public static class PhaseShuffleBench
{
    public const int Batch = 16, Channels = 64, Length = 4096, Radius = 2;

    public static readonly string[] Names =
    [
        "phase shuffle kernel", "phase shuffle composite", "phase shuffle kernel per-example", "phase shuffle composite per-example",
    ];

    public static string Header => $"{"case",-36} {"shape",-18} {"ms fwd+bwd",11} {"GB/s",8}";

    /// <summary>Times one case (median of several runs) and returns its printed row.</summary>
    public static string Row(string name, bool quick)
    {
        bool perExample = name.EndsWith("per-example", StringComparison.Ordinal);
        bool kernel = name.Contains("kernel", StringComparison.Ordinal);
        var rng = new Random(5);
        int[] shifts = perExample
            ? Enumerable.Range(0, Batch).Select(_ => rng.Next(-Radius, Radius + 1)).ToArray()
            : Enumerable.Repeat(Radius, Batch).ToArray();
        using var x0 = Tensor.Randn([Batch, Channels, Length], new RandomStream(1));
        using var gy = Tensor.Randn([Batch, Channels, Length], new RandomStream(2));
        Func<Tensor, Tensor> f = kernel ? x => Tensor.PhaseShuffle(x, shifts)
            : perExample ? x => Composite(x, shifts) : x => Shift(x, Radius);
        void Op(Tensor xIn, Tensor g)
        {
            using var scope = TensorScope.Begin();
            var x = xIn.Detach().RequireGrad();
            var y = f(x);
            Engine.Grad([y], [x], [g]);
        }
        // tiered JIT: many small calls first so that the timed calls run fully optimised code (not tier 0 / OSR)
        using (var xs = Tensor.Randn([Batch, 3, 64], new RandomStream(3)))
        using (var gs = Tensor.Randn([Batch, 3, 64], new RandomStream(4)))
            for (int i = 0; i < 200; i++) Op(xs, gs);
        Thread.Sleep(300);
        void Big() => Op(x0, gy);
        Big();
        Big();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        int minRuns = quick ? 3 : 7;
        double budget = quick ? 0.3 : 1.0;
        while (times.Count < minRuns || (total.Elapsed.TotalSeconds < budget && times.Count < 50))
        {
            var sw = Stopwatch.StartNew();
            Big();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        double ms = KernelShapes.Median(times);
        double bytes = 4.0 * Batch * Channels * Length * sizeof(float);
        return $"{name,-36} {$"[{Batch},{Channels},{Length}]",-18} {ms,11:F3} {bytes / ms / 1e6,8:F1}";
    }

    /// <summary>The former per-batch composite (WaveGAN's layer before the kernel): reflected single-sample slices and the
    /// shifted body, concatenated along time.</summary>
    private static Tensor Shift(Tensor x, int k)
    {
        int len = x.Shape[2];
        if (k == 0) return x;
        var parts = new List<Tensor>();
        if (k > 0)
        {
            for (int i = k; i >= 1; i--) parts.Add(x.Slice(2, i, 1));
            parts.Add(x.Slice(2, 0, len - k));
        }
        else
        {
            int m = -k;
            parts.Add(x.Slice(2, m, len - m));
            for (int i = len - 2; i >= len - 1 - m; i--) parts.Add(x.Slice(2, i, 1));
        }
        return Tensor.Cat(parts, 2);
    }

    /// <summary>The former per-example composite: each example sliced out, shifted, and the batch concatenated.</summary>
    private static Tensor Composite(Tensor x, int[] shifts) =>
        Tensor.Cat(shifts.Select((k, b) => Shift(x.Slice(0, b, 1), k)).ToList(), 0);
}
