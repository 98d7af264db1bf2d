using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>Training steps inside a scope return the live-tensor and live-byte counters to their baseline, on every
/// device row (device buffers count as live bytes too).</summary>
[Collection(SerialCollection.Name)]
public class MemoryTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    /// <summary>100 steps; 10 on the CUDA simulator, where a step takes about a hundred times longer (a leak shows in
    /// the first step already).</summary>
    private static int Steps(Device dev) => DeviceRows.OnSimulator(dev) ? 10 : 100;

    /// <summary>[w1 [4,1,25], b1 [4], w2 [4,4,9], b2 [4], wl [32,1], bl [1]], float32, outside any scope.</summary>
    private static Tensor[] MakeParams(Device dev, RandomStream gen)
    {
        using (TensorScope.Suspend())
            return
            [
                Tensor.Randn([4, 1, 25], gen, std: 0.2, device: dev).RequireGrad(), Tensor.Zeros([4], device: dev).RequireGrad(),
                Tensor.Randn([4, 4, 9], gen, std: 0.2, device: dev).RequireGrad(), Tensor.Zeros([4], device: dev).RequireGrad(),
                Tensor.Randn([32, 1], gen, std: 0.2, device: dev).RequireGrad(), Tensor.Zeros([1], device: dev).RequireGrad(),
            ];
    }

    private static Tensor Critic(Tensor x, Tensor[] p)
    {
        var h = Tensor.Conv1d(x, p[0], p[1], 4, 11).LeakyRelu(0.2);
        h = Tensor.Conv1d(h, p[2], p[3], 2, 4).Tanh();
        return h.Flatten(1).MatMul(p[4]) + p[5];
    }

    private static void Dispose(Tensor[] ps)
    {
        foreach (var p in ps)
        {
            p.Grad?.Dispose();
            p.Dispose();
        }
    }

    private static void AssertAtBaseline(long count, long bytes, int step)
    {
        Assert.True(Tensor.LiveCount == count, $"after step {step}: {Tensor.LiveCount} live tensors, baseline {count}");
        Assert.True(Tensor.LiveBytes == bytes, $"after step {step}: {Tensor.LiveBytes} live bytes, baseline {bytes}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void GradAndSgdStepsReturnToBaseline(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(1);
        var ps = MakeParams(dev, gen);
        long count = Tensor.LiveCount, bytes = Tensor.LiveBytes;
        try
        {
            for (int step = 0; step < Steps(dev); step++)
            {
                using (var scope = TensorScope.Begin())
                {
                    var x = Tensor.Randn([3, 1, 64], gen, device: dev);
                    var loss = Critic(x, ps).Square().Mean();
                    var gs = Engine.Grad([loss], ps);
                    for (int i = 0; i < ps.Length; i++) ps[i].AddInPlace(gs[i]!, -0.01);
                }
                AssertAtBaseline(count, bytes, step);
            }
        }
        finally { Dispose(ps); }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void BackwardStepsWithGradientsSetToNoneReturnToBaseline(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(2);
        var ps = MakeParams(dev, gen);
        long count = Tensor.LiveCount, bytes = Tensor.LiveBytes;
        try
        {
            for (int step = 0; step < Steps(dev); step++)
            {
                using (var scope = TensorScope.Begin())
                {
                    var x = Tensor.Randn([3, 1, 64], gen, device: dev);
                    Critic(x, ps).Mean().Backward();
                    foreach (var p in ps)
                    {
                        p.AddInPlace(p.Grad!, -0.01);
                        p.Grad!.Dispose();
                        p.Grad = null;
                    }
                }
                AssertAtBaseline(count, bytes, step);
            }
        }
        finally { Dispose(ps); }
    }

    /// <summary>Backward's gradient buffers live outside the step scope and are reused (zeroed) across steps.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void BackwardIntoZeroedGradientsStaysFlat(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(3);
        var ps = MakeParams(dev, gen);
        try
        {
            long count = 0, bytes = 0;
            for (int step = 0; step < Steps(dev); step++)
            {
                using (var scope = TensorScope.Begin())
                {
                    var x = Tensor.Randn([3, 1, 64], gen, device: dev);
                    Critic(x, ps).Mean().Backward();
                    foreach (var p in ps)
                    {
                        p.AddInPlace(p.Grad!, -0.01);
                        p.Grad!.ZeroInPlace();
                    }
                }
                if (step == 0) (count, bytes) = (Tensor.LiveCount, Tensor.LiveBytes);
                else AssertAtBaseline(count, bytes, step);
            }
        }
        finally { Dispose(ps); }
    }

    /// <summary>A WGAN-GP critic step: loss = D(fake) − D(real) + 10·gp, gp via createGraph, then SGD.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradientPenaltyStepsReturnToBaseline(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(4);
        var ps = MakeParams(dev, gen);
        long count = Tensor.LiveCount, bytes = Tensor.LiveBytes;
        try
        {
            for (int step = 0; step < Steps(dev); step++)
            {
                using (var scope = TensorScope.Begin())
                {
                    var real = Tensor.Randn([3, 1, 64], gen, device: dev);
                    var fake = Tensor.Randn([3, 1, 64], gen, device: dev);
                    var eps = Tensor.Rand([3, 1, 1], gen, device: dev);
                    var xhat = (eps * real + eps.RSub(1) * fake).RequireGrad();
                    var g = Engine.Grad(Critic(xhat, ps).Sum(), xhat, createGraph: true)!;
                    var gp = (g.SumSquares([1, 2]).Sqrt() - 1.0).Square().Mean();
                    var loss = Critic(fake, ps).Mean() - Critic(real, ps).Mean() + gp * 10.0;
                    var gs = Engine.Grad([loss], ps);
                    for (int i = 0; i < ps.Length; i++) ps[i].AddInPlace(gs[i]!, -1e-3);
                }
                AssertAtBaseline(count, bytes, step);
            }
        }
        finally { Dispose(ps); }
    }

    /// <summary>Gradients handed out with no scope around the call belong to the caller; Backward hands out none,
    /// so it must not leave temporaries behind even without a scope.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void BackwardWithoutAScopeLeavesOnlyTheLeafGradients(string device)
    {
        var dev = DeviceRows.Get(device);
        using var p = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 }, [3], device: dev).RequireGrad();
        long count = Tensor.LiveCount, bytes = Tensor.LiveBytes;
        var y = p.Tanh();
        var s = y.Sum();
        s.Backward();
        y.Dispose();
        s.Dispose();
        Assert.Equal(count + 1, Tensor.LiveCount); // p.Grad
        Assert.Equal(bytes + 3 * 8, Tensor.LiveBytes);
        p.Grad!.Dispose();
        p.Grad = null;
        Assert.Equal(count, Tensor.LiveCount);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void DisposingTheLastViewFreesTheStorage(string device)
    {
        var dev = DeviceRows.Get(device);
        long count = Tensor.LiveCount, bytes = Tensor.LiveBytes;
        var t = Tensor.Zeros([4, 8], DType.Float64, device: dev);
        var v = t.T();
        var s = v.Slice(0, 2, 3);
        Assert.Equal(count + 3, Tensor.LiveCount);
        Assert.Equal(bytes + 32 * 8, Tensor.LiveBytes);
        t.Dispose();
        v.Dispose();
        Assert.Equal(bytes + 32 * 8, Tensor.LiveBytes);
        Assert.Equal(0, s.ToDoubleArray().Sum());
        s.Dispose();
        s.Dispose(); // twice is harmless
        Assert.Equal(count, Tensor.LiveCount);
        Assert.Equal(bytes, Tensor.LiveBytes);
        Assert.Throws<ObjectDisposedException>(() => s.ToDoubleArray());
    }

    /// <summary>Engine.Grad frees its temporaries through an internal scope, also while the caller has suspended scoping.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void GradInsideSuspendLeavesNoTemporaries(string device)
    {
        var dev = DeviceRows.Get(device);
        using var x = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 }, [3], device: dev).RequireGrad();
        long count = Tensor.LiveCount;
        using (TensorScope.Suspend())
        {
            var y = (x.Tanh() * x).Sum();
            var g = Engine.Grad(y, x)!;
            g.Dispose();
            y.Dispose();
        }
        // x.Tanh() and the product are forward temporaries the test did not keep handles to: 2 tensors
        Assert.Equal(count + 2, Tensor.LiveCount);
    }
}
