using GanAudio.Kernels;
using GanAudio.Nn.Optim;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>The Adam optimizer updates all its parameters in one multi-tensor call: the same results as one fused step per
/// parameter (bitwise on the CPU), and one kernel launch per step on CUDA with nothing uploaded or allocated.</summary>
[Collection(nameof(LiveCounters))]
public sealed class AdamMultiTensorTests
{
    private static readonly int[] Sizes = [1, 37, 3, 2049, 1, 255, 4100];

    public static IEnumerable<TheoryDataRow> Rows()
    {
        foreach (var dev in new[] { "cpu", "cuda" })
            foreach (var dt in new[] { DType.Float32, DType.Float64 })
                foreach (bool ams in new[] { false, true })
                    yield return new TheoryDataRow(dev, dt, ams);
    }

    private static Tensor[] Params(Device dev, DType dt) =>
        Sizes.Select((n, k) => Tensor.FromArray(Enumerable.Range(0, n).Select(i => Math.Sin(i + 10 * k)).ToArray(), [n], dt, dev).RequireGrad()).ToArray();

    /// <summary>A loss with a different gradient for every parameter element.</summary>
    private static void Backward(Tensor[] ps)
    {
        Tensor? total = null;
        foreach (var p in ps)
        {
            var t = ((p - 0.3) * (p + 0.1) * (p * p + 1.0)).Sum();
            total = total is null ? t : total + t;
        }
        total!.Backward();
    }

    [Theory, MemberData(nameof(Rows))]
    public void OneCallEqualsOneFusedStepPerParameter(string device, DType dt, bool amsgrad)
    {
        var dev = DeviceRows.Get(device);
        var a = Params(dev, dt);
        var b = Params(dev, dt);
        using var opt = new Adam(a.Select((p, i) => ($"p{i}", p)), lr: 0.05, beta1: 0.5, beta2: 0.9, weightDecay: 0.01, amsgrad: amsgrad);
        using var mb = new DisposableList(b.Select(p => p.ZerosLike()));
        using var vb = new DisposableList(b.Select(p => p.ZerosLike()));
        using var xb = new DisposableList(b.Select(p => p.ZerosLike()));
        for (int step = 1; step <= 4; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            Backward(a);
            opt.Step();
            foreach (var p in b)
            {
                p.Grad?.Dispose();
                p.Grad = null;
            }
            Backward(b);
            using (Tensors.Autograd.GradMode.NoGrad())
                for (int i = 0; i < b.Length; i++)
                    Tensor.AdamStepInPlace(b[i], b[i].Grad!, mb[i], vb[i], amsgrad ? xb[i] : null, 0.05, 0.5, 0.9, 1e-8, 0.01, step);
        }
        for (int i = 0; i < a.Length; i++)
        {
            var got = a[i].ToDoubleArray();
            var want = b[i].ToDoubleArray();
            if (device == "cpu") Assert.Equal(want, got);
            else
                for (int j = 0; j < got.Length; j++) Assert.Equal(want[j], got[j], dt == DType.Float32 ? 1e-6 : 1e-13);
        }
        foreach (var p in a.Concat(b)) p.Dispose();
    }

    /// <summary>One launch per step; with the same gradient buffers nothing is uploaded; with fresh gradients (ZeroGrad then
    /// backward) at most their pointers (8 bytes per parameter) are, and nothing is allocated.</summary>
    [Fact]
    public void OneLaunchPerStepOnCuda()
    {
        var dev = DeviceRows.Get("cuda");
        var ps = Params(dev, DType.Float32);
        using var opt = new Adam(ps.Select((p, i) => ($"p{i}", p)), lr: 1e-3, amsgrad: true);
        Backward(ps);
        opt.Step();  // the first step builds and uploads the parameter table
        for (int step = 0; step < 3; step++)
        {
            var before = Devices.Counters(dev);
            opt.Step();
            var d = Devices.Counters(dev) - before;
            Assert.Equal(1, d.Launches);
            Assert.Equal(0, d.BytesToDevice);
            Assert.Equal(0, d.DriverAllocations);
            Assert.Equal(0, d.HostSyncs);
        }
        for (int step = 0; step < 3; step++)
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            Backward(ps);
            var before = Devices.Counters(dev);
            opt.Step();
            var d = Devices.Counters(dev) - before;
            Assert.Equal(1, d.Launches);
            Assert.Equal(0, d.DriverAllocations);
            Assert.Equal(0, d.HostSyncs);
            Assert.True(d.BytesToDevice is 0 || d.BytesToDevice == 8L * ps.Length, $"step uploaded {d.BytesToDevice} bytes");
        }
        opt.ZeroGrad();
        foreach (var p in ps) p.Dispose();
    }

    private sealed class DisposableList(IEnumerable<Tensor> items) : IDisposable
    {
        private readonly Tensor[] ts = items.ToArray();

        public Tensor this[int i] => ts[i];

        public void Dispose()
        {
            foreach (var t in ts) t.Dispose();
        }
    }
}
