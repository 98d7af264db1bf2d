using System.Diagnostics;
using GanAudio.Bench;
using TorchSharp;
using static TorchSharp.torch;

namespace GanAudio.TorchBench;

/// <summary>Times GEMM 1024³ and the WaveGAN conv1d / conv_transpose1d layers (forward and weight gradient) with libtorch.
/// Weight gradients are timed as autograd backward passes of a retained graph whose only leaf is the weight.</summary>
public static class TorchKernels
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        bool dw = !args.Contains("--no-dw");
        var ds = new List<int>();
        string? filter = null;
        int threads = 2;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") ds.Add(int.Parse(args[i + 1]));
            if (args[i] == "--filter") filter = args[i + 1];
            if (args[i] == "--threads") threads = int.Parse(args[i + 1]);
        }
        if (ds.Count == 0) ds.AddRange([16, 32, 64]);
        torch.set_num_threads(threads);
        double peak = FmaPeak.Measure(threads);
        Console.WriteLine($"libtorch {torch.__version__} (TorchSharp), {torch.get_num_threads()} thread(s)");
        Console.WriteLine($"FMA peak (register-only loop, {threads} thread(s)): {peak:F1} GFLOP/s");
        Console.WriteLine(KernelShapes.Header);
        foreach (var c in KernelShapes.Cases(ds, dw))
        {
            if (filter is not null && !c.Name.Contains(filter)) continue;
            double ms = Time(c, quick);
            Console.WriteLine(KernelShapes.Row(c, ms, peak));
        }
        return 0;
    }

    private static double Time(KernelCase c, bool quick)
    {
        using var scope = torch.NewDisposeScope();
        torch.random.manual_seed(1);
        Action op;
        if (c.Kind == KernelCaseKind.Gemm)
        {
            var a = torch.randn(c.M, c.K);
            var b = torch.randn(c.K, c.N);
            op = () =>
            {
                using var y = torch.mm(a, b);
            };
        }
        else
        {
            var x = torch.randn(c.Batch, c.CIn, c.LIn);
            var w = torch.randn(c.COut, c.CIn, c.Kernel);
            var bias = torch.randn(c.COut);
            var gy = torch.randn(c.Batch, c.COut, c.LOut);
            switch (c.Kind)
            {
                case KernelCaseKind.Conv1d:
                    op = () =>
                    {
                        using var _ = torch.no_grad();
                        using var y = nn.functional.conv1d(x, w, bias, c.Stride, c.Padding);
                    };
                    break;
                case KernelCaseKind.ConvTranspose1d:
                    op = () =>
                    {
                        using var _ = torch.no_grad();
                        using var y = nn.functional.conv_transpose1d(gy, w, null, c.Stride, c.Padding, c.OutputPadding);
                    };
                    break;
                case KernelCaseKind.Conv1dWeightGrad:
                {
                    var wl = w.detach().requires_grad_(true);
                    var y = nn.functional.conv1d(x, wl, null, c.Stride, c.Padding);
                    op = () => torch.autograd.backward([y], [gy], retain_graph: true);
                    break;
                }
                default:
                {
                    var wl = w.detach().requires_grad_(true);
                    var y = nn.functional.conv_transpose1d(gy, wl, null, c.Stride, c.Padding, c.OutputPadding);
                    var gx = torch.randn(c.Batch, c.CIn, c.LIn);
                    op = () => torch.autograd.backward([y], [gx], retain_graph: true);
                    break;
                }
            }
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
        return KernelShapes.Median(times);
    }
}
