using System.Diagnostics;
using GanAudio.Bench;
using TorchSharp;
using static TorchSharp.torch;

namespace GanAudio.TorchBench;

/// <summary>libtorch side of bench/Bench's `step` suite: one WaveGAN WGAN-GP iteration (critic update with the gradient
/// penalty by torch.autograd.grad(create_graph: true; TorchSharp needs retain_graph spelled out, PyTorch defaults it to create_graph), then a generator update), Adam(1e-4, 0.5, 0.9), batch 16,
/// 16384 samples, random data; prints the process's peak resident memory (VmHWM) under each row. Same layer shapes as GanAudio.App.Models.WaveGan*; PyTorch's default initialisation.</summary>
public static class TorchStep
{
    public static int Run(string[] args)
    {
        var ds = new List<int>();
        int iters = 7, batch = 16, threads = 2, warmup = 2;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--d") ds.Add(int.Parse(args[i + 1]));
            if (args[i] == "--iters") iters = int.Parse(args[i + 1]);
            if (args[i] == "--batch") batch = int.Parse(args[i + 1]);
            if (args[i] == "--threads") threads = int.Parse(args[i + 1]);
            if (args[i] == "--warmup") warmup = int.Parse(args[i + 1]);
        }
        if (ds.Count == 0) ds.Add(32);
        torch.set_num_threads(threads);
        Console.WriteLine($"libtorch {torch.__version__} WaveGAN WGAN-GP step, {torch.get_num_threads()} thread(s), batch {batch}, " +
            $"16384 samples, 1 critic step + 1 generator step, {iters} timed iterations after {warmup} warm-up");
        Console.WriteLine(StepTable.Header);
        foreach (int d in ds)
        {
            var (dMs, gMs, itMs) = Time(d, batch, iters, warmup);
            long rss = PeakMemory.ResidentBytes();
            Console.WriteLine(StepTable.Row(d, batch, dMs, gMs, itMs));
            Console.WriteLine(StepTable.Memory(rss, null));
            Console.WriteLine(FormattableString.Invariant(
                $"RESULT d={d} batch={batch} critic_ms={dMs:F2} gen_ms={gMs:F2} iter_ms={itMs:F2} rss_peak_mib={PeakMemory.Mib(rss):F0}"));
        }
        return 0;
    }

    private sealed class Gen : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> fc;
        private readonly nn.Module<Tensor, Tensor>[] ups;
        private readonly int d;

        public Gen(int d) : base("G")
        {
            this.d = d;
            fc = nn.Linear(100, 16 * 16 * d);
            ups = new nn.Module<Tensor, Tensor>[5];
            int ch = 16 * d;
            for (int i = 0; i < 5; i++)
            {
                int next = i == 4 ? 1 : ch / 2;
                ups[i] = nn.ConvTranspose1d(ch, next, 25, stride: 4, padding: 11, output_padding: 1);
                register_module($"deconv{i + 1}", ups[i]);
                ch = next;
            }
            register_module("fc", fc);
        }

        public override Tensor forward(Tensor z)
        {
            var h = nn.functional.relu(fc.forward(z).reshape(z.shape[0], 16 * d, 16));
            for (int i = 0; i < ups.Length; i++)
            {
                h = ups[i].forward(h);
                h = i == ups.Length - 1 ? torch.tanh(h) : nn.functional.relu(h);
            }
            return h;
        }
    }

    private sealed class Disc : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor>[] convs;
        private readonly nn.Module<Tensor, Tensor> fc;
        private readonly Random rng = new(2);

        public Disc(int d) : base("D")
        {
            convs = new nn.Module<Tensor, Tensor>[5];
            int ch = 1;
            for (int i = 0; i < 5; i++)
            {
                int next = d << i;
                convs[i] = nn.Conv1d(ch, next, 25, stride: 4, padding: 11);
                register_module($"conv{i + 1}", convs[i]);
                ch = next;
            }
            fc = nn.Linear(ch * 16, 1);
            register_module("fc", fc);
        }

        /// <summary>y[t] = x[t − k], reflection at the edges (WaveGAN's phase shuffle, one shift per batch).</summary>
        private Tensor PhaseShuffle(Tensor x, int n)
        {
            int k = rng.Next(-n, n + 1);
            if (k == 0) return x;
            long len = x.shape[2];
            return k > 0
                ? nn.functional.pad(x, [k, 0], PaddingModes.Reflect)[.., .., ..(int)len]
                : nn.functional.pad(x, [0, -k], PaddingModes.Reflect)[.., .., (-k)..];
        }

        public override Tensor forward(Tensor x)
        {
            var h = x;
            for (int i = 0; i < convs.Length; i++)
            {
                h = nn.functional.leaky_relu(convs[i].forward(h), 0.2);
                if (i < 4) h = PhaseShuffle(h, 2);
            }
            return fc.forward(h.flatten(1));
        }
    }

    private static (double D, double G, double It) Time(int d, int batch, int iters, int warmup)
    {
        torch.random.manual_seed(1);
        var g = new Gen(d);
        var disc = new Disc(d);
        var optG = torch.optim.Adam(g.parameters(), 1e-4, 0.5, 0.9);
        var optD = torch.optim.Adam(disc.parameters(), 1e-4, 0.5, 0.9);
        var dTimes = new List<double>();
        var gTimes = new List<double>();
        var itTimes = new List<double>();
        for (int it = 0; it < iters + warmup; it++)
        {
            var sw = Stopwatch.StartNew();
            using (torch.NewDisposeScope())
            {
                var real = torch.rand(batch, 1, 16384) * 2 - 1;
                var z = torch.rand(batch, 100) * 2 - 1;
                Tensor fake;
                using (torch.no_grad()) fake = g.forward(z);
                optD.zero_grad();
                var dReal = disc.forward(real);
                var dFake = disc.forward(fake);
                var loss = dFake.mean() - dReal.mean();
                var alpha = torch.rand(batch, 1, 1);
                var xhat = (real + alpha * (fake - real)).detach().requires_grad_(true);
                var dHat = disc.forward(xhat);
                var grad = torch.autograd.grad([dHat.sum()], [xhat], retain_graph: true, create_graph: true)[0];
                var norm = (grad.square().sum([1, 2]) + 1e-12).sqrt();
                var pen = (norm - 1).square().mean() * 10.0;
                _ = pen.item<float>();
                loss = loss + pen;
                loss.backward();
                optD.step();
                _ = loss.item<float>();
                _ = dReal.mean().item<float>() - dFake.mean().item<float>();
            }
            double dMs = sw.Elapsed.TotalMilliseconds;
            foreach (var p in disc.parameters()) p.requires_grad = false;
            using (torch.NewDisposeScope())
            {
                var z = torch.rand(batch, 100) * 2 - 1;
                optG.zero_grad();
                var loss = -disc.forward(g.forward(z)).mean();
                loss.backward();
                optG.step();
                _ = loss.item<float>();
            }
            foreach (var p in disc.parameters()) p.requires_grad = true;
            double itMs = sw.Elapsed.TotalMilliseconds;
            if (it < warmup) continue;
            dTimes.Add(dMs);
            gTimes.Add(itMs - dMs);
            itTimes.Add(itMs);
        }
        return (KernelShapes.Median(dTimes), KernelShapes.Median(gTimes), KernelShapes.Median(itTimes));
    }
}
