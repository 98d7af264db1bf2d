using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>A <see cref="GraphScope"/> frees at its end the tensors made inside that no recorded node reads (every one
/// but the results without grad), hands the ones the graph reads to the graph (freed when the backward pass releases
/// their last node, else with the enclosing scope), and changes no result: gradients, second order included, are bit
/// for bit those of the same computation without it. Memory is read from the allocator (<see cref="Devices.Memory"/>).</summary>
[Collection(SerialCollection.Name)]
public class GraphScopeTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    /// <summary>[128, 128] float64: 131072 bytes, a whole size class of both allocators.</summary>
    private const int Side = 128;
    private const long Bytes = Side * Side * 8L;
    private const int Blocks = 12;

    /// <summary>Blocks of y = tanh(h) (its rule reads y) then h = 3·y (its rule reads nothing): the graph needs one of the
    /// two tensors of a block.</summary>
    private static Tensor Chain(Tensor x, List<Tensor>? made = null)
    {
        var h = x;
        for (int i = 0; i < Blocks; i++)
        {
            var y = h.Tanh();
            h = y * 3.0;
            made?.Add(y);
            made?.Add(h);
        }
        return h.Sum();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ForwardKeepsOnlyWhatTheGraphReads(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.Rand([Side, Side], new RandomStream(1), -1, 1, DType.Float64, dev).RequireGrad();
        var plain = Engine.Grad(Chain(x), x)!.ToDoubleArray();

        long count = Tensor.LiveCount, live = Devices.Memory(dev).LiveBytes;
        var made = new List<Tensor>();
        Tensor loss;
        using (var g = GraphScope.Begin()) loss = g.Keep(Chain(x, made));
        // the tanh outputs stay (their rules read them), the products are freed; without the scope both stayed
        for (int i = 0; i < made.Count; i++) Assert.Equal(i % 2 == 1, made[i].IsDisposed);
        long held = Devices.Memory(dev).LiveBytes - live;
        Assert.True(held >= Blocks * Bytes && held <= Blocks * Bytes + Bytes / 2, $"the forward holds {held / (double)Bytes:F2} activations, not {Blocks}");
        Assert.Equal(count + Blocks + 1, Tensor.LiveCount);

        var grad = Engine.Grad(loss, x)!;
        Assert.Equal(plain, grad.ToDoubleArray());
        // the backward pass released every node: the graph's tensors are freed; the loss and the gradient remain
        Assert.All(made, t => Assert.True(t.IsDisposed));
        Assert.Equal(count + 2, Tensor.LiveCount);
        Assert.False(loss.IsDisposed);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void NoGradKeepsOnlyTheResult(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Tensor.Rand([Side, Side], new RandomStream(2), -1, 1, DType.Float64, dev);
        long count = Tensor.LiveCount, live = Devices.Memory(dev).LiveBytes;
        Tensor y;
        using (GradMode.NoGrad()) y = GraphScope.Run(() => (x.Tanh() * 3.0).Exp().Sqrt() + 1.0);
        Assert.Equal(count + 1, Tensor.LiveCount);
        Assert.Equal(live + Bytes, Devices.Memory(dev).LiveBytes);
        Assert.False(y.IsDisposed);
    }

    /// <summary>A graph that is never differentiated: its tensors go with the enclosing scope.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void WithoutBackwardTheEnclosingScopeFreesTheGraph(string device)
    {
        var dev = DeviceRows.Get(device);
        long count = Tensor.LiveCount, live = Devices.Memory(dev).LiveBytes;
        using (TensorScope.Begin())
        {
            var x = Tensor.Rand([Side, Side], new RandomStream(3), -1, 1, DType.Float64, dev).RequireGrad();
            var loss = GraphScope.Run(() => Chain(x));
            Assert.True(Tensor.LiveCount > count + Blocks);
        }
        Assert.Equal(count, Tensor.LiveCount);
        Assert.Equal(live, Devices.Memory(dev).LiveBytes);
    }

    /// <summary>A gradient penalty through a scoped critic (the WGAN-GP pattern): the createGraph pass keeps what its new
    /// nodes read from the scoped forward, and the parameters' gradients are those without scopes, bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void SecondOrderThroughScopedForwardsIsUnchanged(string device)
    {
        var dev = DeviceRows.Get(device);
        double[] Run(bool scoped)
        {
            long count = Tensor.LiveCount;
            double[] result;
            using (TensorScope.Begin())
            {
                var w = Tensor.Rand([Side, Side], new RandomStream(4), -0.1, 0.1, DType.Float64, dev).RequireGrad();
                var real = Tensor.Rand([8, Side], new RandomStream(5), -1, 1, DType.Float64, dev);
                var fake = Tensor.Rand([8, Side], new RandomStream(6), -1, 1, DType.Float64, dev);
                Tensor Critic(Tensor v) => (v.MatMul(w).LeakyRelu(0.2).MatMul(w).Tanh() * 2.0).Sum([1]);
                Tensor Score(Tensor v) => scoped ? GraphScope.Run(() => Critic(v)) : Critic(v);
                var loss = Score(fake).Mean() - Score(real).Mean();
                var xhat = ((real + fake) * 0.5).RequireGrad();
                var g = Engine.Grad([Score(xhat).Sum()], [xhat], createGraph: true)[0]!;
                loss = loss + (g.PerExampleNorm(1e-12) - 1.0).Square().Mean() * 10.0;
                loss.Backward();
                result = w.Grad!.ToDoubleArray();
                w.Grad.Dispose();
                xhat.Grad?.Dispose();  // a leaf too: the backward pass gave it a gradient (outside every scope)
            }
            Assert.Equal(count, Tensor.LiveCount);
            return result;
        }
        Assert.Equal(Run(false), Run(true));
    }
}
