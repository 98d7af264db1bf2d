#!/usr/bin/env python3
"""PyTorch side of bench/Bench's `step` suite on a GPU: one WaveGAN WGAN-GP training iteration.

The same iteration as bench/Bench/StepSuite.cs (and bench/TorchBench/TorchStep.cs, its libtorch twin on the CPU):
  critic step: fake = G(z) under no_grad; loss = mean D(fake) - mean D(real); gradient penalty at
               x^ = real + alpha (fake - real), alpha ~ U(0, 1) per example, by autograd.grad(create_graph=True),
               lambda * mean((sqrt(sum grad^2 + 1e-12) - 1)^2), lambda = 10; backward; Adam step;
  generator step: the critic's parameters frozen, loss = -mean D(G(z)); backward; Adam step.
Layers as GanAudio.App.Models.WaveGan* at 16384 samples: G = Linear(100, 256 d) -> [16 d, 16] -> ReLU ->
5 x ConvTranspose1d(k 25, stride 4, padding 11, output_padding 1) with ReLU between, tanh; D = 5 x Conv1d(k 25,
stride 4, padding 11) + LeakyReLU(0.2), phase shuffle (n = 2, one shift per batch, reflection) after the first four,
flatten, Linear(256 d, 1). Initialisation as WaveGanInit (the original TensorFlow code's): Xavier-uniform weights,
zero biases. Adam(lr 1e-4, betas (0.5, 0.9), eps 1e-8), PyTorch's default implementation. z and the data ~ U(-1, 1).
torch.backends.cudnn.benchmark = True; TF32 left at PyTorch's defaults. Each phase timed with CUDA events; medians
over --iters iterations after --warmup; peak memory = torch.cuda.max_memory_allocated() per model size.

Prints one line per model size:  RESULT d=32 batch=64 critic_ms=… gen_ms=… iter_ms=… peak_mib=… reserved_mib=…
or one line  SKIPPED <reason>  (no torch, no CUDA device) and exits 0.
"""
import argparse
import statistics
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, action="append", help="model size d (repeatable; default 32 and 64)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--iters", type=int, default=10, help="timed iterations (default 10)")
    p.add_argument("--warmup", type=int, default=2, help="untimed iterations first (default 2)")
    p.add_argument("--device", default="cuda")
    return p.parse_args(argv)


def build(torch, d, latent=100, kernel=25):
    nn = torch.nn

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.d = d
            self.fc = nn.Linear(latent, 16 * 16 * d)
            ups, ch = [], 16 * d
            for i in range(5):
                nxt = 1 if i == 4 else ch // 2
                ups.append(nn.ConvTranspose1d(ch, nxt, kernel, stride=4, padding=11, output_padding=1))
                ch = nxt
            self.ups = nn.ModuleList(ups)

        def forward(self, z):
            h = torch.relu(self.fc(z).reshape(z.shape[0], 16 * self.d, 16))
            for i, up in enumerate(self.ups):
                h = up(h)
                h = torch.tanh(h) if i == len(self.ups) - 1 else torch.relu(h)
            return h

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            convs, ch = [], 1
            for i in range(5):
                nxt = d << i
                convs.append(nn.Conv1d(ch, nxt, kernel, stride=4, padding=11))
                ch = nxt
            self.convs = nn.ModuleList(convs)
            self.fc = nn.Linear(ch * 16, 1)
            self.shuffle_gen = torch.Generator().manual_seed(2)

        def phase_shuffle(self, x, n=2):
            """y[t] = x[t - k], k ~ U{-n..n} once per batch, reflection at the edges (GanAudio's PhaseShuffle)."""
            k = int(torch.randint(-n, n + 1, (1,), generator=self.shuffle_gen).item())
            if k == 0:
                return x
            length = x.shape[2]
            if k > 0:
                return nn.functional.pad(x, (k, 0), mode="reflect")[:, :, :length]
            return nn.functional.pad(x, (0, -k), mode="reflect")[:, :, -k:]

        def forward(self, x):
            h = x
            for i, conv in enumerate(self.convs):
                h = nn.functional.leaky_relu(conv(h), 0.2)
                if i < 4:
                    h = self.phase_shuffle(h)
            return self.fc(h.flatten(1))

    def tf_init(module):
        for name, p in module.named_parameters():
            if name.endswith(".weight") and p.dim() >= 2:
                nn.init.xavier_uniform_(p)
            elif name.endswith(".bias"):
                nn.init.zeros_(p)

    g, disc = Generator(), Discriminator()
    tf_init(g)
    tf_init(disc)
    return g, disc


def time_model(torch, d, batch, iters, warmup, device, length=16384, latent=100, lam=10.0):
    torch.manual_seed(1)
    g, disc = build(torch, d)
    g.to(device)
    disc.to(device)
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), lr=1e-4, betas=(0.5, 0.9))
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    d_times, g_times, it_times = [], [], []
    for it in range(warmup + iters):
        e0, e1, e2 = (torch.cuda.Event(enable_timing=True) for _ in range(3))
        e0.record()
        real = torch.rand(batch, 1, length, device=device) * 2 - 1
        z = torch.rand(batch, latent, device=device) * 2 - 1
        with torch.no_grad():
            fake = g(z)
        opt_d.zero_grad()
        d_real = disc(real)
        d_fake = disc(fake)
        loss = d_fake.mean() - d_real.mean()
        alpha = torch.rand(batch, 1, 1, device=device)
        xhat = (real + (fake - real) * alpha).detach().requires_grad_(True)
        grad = torch.autograd.grad(disc(xhat).sum(), xhat, create_graph=True)[0]
        norm = (grad.square().sum(dim=(1, 2)) + 1e-12).sqrt()
        pen = (norm - 1).square().mean() * lam
        _ = pen.item()
        loss = loss + pen
        loss.backward()
        opt_d.step()
        _ = loss.item()
        _ = d_real.mean().item() - d_fake.mean().item()
        e1.record()
        for p in disc.parameters():
            p.requires_grad_(False)
        z = torch.rand(batch, latent, device=device) * 2 - 1
        opt_g.zero_grad()
        loss_g = -disc(g(z)).mean()
        loss_g.backward()
        opt_g.step()
        _ = loss_g.item()
        for p in disc.parameters():
            p.requires_grad_(True)
        e2.record()
        torch.cuda.synchronize()
        if it < warmup:
            continue
        d_times.append(e0.elapsed_time(e1))
        g_times.append(e1.elapsed_time(e2))
        it_times.append(e0.elapsed_time(e2))
    peak = torch.cuda.max_memory_allocated() / 2**20
    reserved = torch.cuda.max_memory_reserved() / 2**20
    del g, disc, opt_g, opt_d
    torch.cuda.empty_cache()
    return statistics.median(d_times), statistics.median(g_times), statistics.median(it_times), peak, reserved


def main(argv):
    a = parse_args(argv)
    try:
        import torch
    except ImportError:
        print("SKIPPED no torch")
        return 0
    if not a.device.startswith("cuda") or not torch.cuda.is_available():
        print(f"SKIPPED no CUDA device for torch {torch.__version__}")
        return 0
    torch.backends.cudnn.benchmark = True
    dev = torch.device(a.device)
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, "
          f"{torch.cuda.get_device_name(dev)}; TF32 matmul {torch.backends.cuda.matmul.allow_tf32}, "
          f"cuDNN TF32 {torch.backends.cudnn.allow_tf32}; WaveGAN WGAN-GP step, batch {a.batch}, 16384 samples, "
          f"{a.iters} timed iterations after {a.warmup} warm-up", flush=True)
    for d in a.d or [32, 64]:
        dm, gm, im, peak, reserved = time_model(torch, d, a.batch, a.iters, a.warmup, dev)
        print(f"RESULT d={d} batch={a.batch} critic_ms={dm:.2f} gen_ms={gm:.2f} iter_ms={im:.2f} "
              f"peak_mib={peak:.0f} reserved_mib={reserved:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
