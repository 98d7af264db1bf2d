using GanAudio.Kernels;
using GanAudio.Kernels.Cpu;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>One seed gives bitwise-identical random tensors and training results, for any CPU thread count.</summary>
[Collection(SerialCollection.Name)]
public class DeterminismTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private static T WithThreads<T>(int threads, Func<T> f)
    {
        int saved = Devices.CpuThreads;
        try
        {
            Devices.CpuThreads = threads;
            return f();
        }
        finally { Devices.CpuThreads = saved; }
    }

    private static (float[] U, float[] N, double[] U64, double[] N64) Draw(ulong seed)
    {
        using var scope = TensorScope.Begin();
        var gen = new RandomStream(seed);
        return (Tensor.Rand([300_001], gen, -1, 3).ToFloatArray(), Tensor.Randn([257, 1031], gen).ToFloatArray(),
            Tensor.Rand([100_003], gen, dtype: DType.Float64).ToDoubleArray(), Tensor.Randn([99_999], gen, 2, 0.5, DType.Float64).ToDoubleArray());
    }

    [Fact]
    public void SameSeedGivesBitwiseIdenticalRandomTensorsForAnyThreadCount()
    {
        var a = WithThreads(1, () => Draw(42));
        var b = WithThreads(2, () => Draw(42));
        var c = WithThreads(Math.Max(Environment.ProcessorCount, 2), () => Draw(42));
        foreach (var other in new[] { b, c })
        {
            Assert.Equal(a.U, other.U);
            Assert.Equal(a.N, other.N);
            Assert.Equal(a.U64, other.U64);
            Assert.Equal(a.N64, other.N64);
        }
        var d = Draw(43);
        Assert.NotEqual(a.U, d.U);
        Assert.NotEqual(a.N, d.N);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void DrawsAdvanceTheStreamAndCloneReplaysIt(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var gen = new RandomStream(7);
        var copy = gen.Clone();
        var first = Tensor.Randn([10], gen, device: dev).ToFloatArray();
        var second = Tensor.Randn([10], gen, device: dev).ToFloatArray();
        Assert.NotEqual(first, second);
        Assert.Equal(first, Tensor.Randn([10], copy, device: dev).ToFloatArray());
        Assert.Equal(second, Tensor.Randn([10], copy, device: dev).ToFloatArray());
        gen.Reset(7);
        Assert.Equal(first, Tensor.Randn([10], gen, device: dev).ToFloatArray());
        var resumed = new RandomStream(7, 12); // 10 numbers take 12 positions
        Assert.Equal(second, Tensor.Randn([10], resumed, device: dev).ToFloatArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RandomTensorsHaveTheRequestedDistribution(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var gen = new RandomStream(9);
        var u = Tensor.Rand([200_000], gen, -1, 3, DType.Float64, device: dev).ToDoubleArray();
        Assert.True(u.Min() >= -1 && u.Max() < 3);
        Assert.Equal(1.0, u.Average(), 0.02);
        var n = Tensor.Randn([200_000], gen, 2, 0.5, DType.Float64, device: dev).ToDoubleArray();
        double mean = n.Average(), sd = Math.Sqrt(n.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(2.0, mean, 0.01);
        Assert.Equal(0.5, sd, 0.01);
    }

    /// <summary>A few SGD steps of a tiny conv net (conv → leaky_relu → conv → tanh → flatten → linear, float32).</summary>
    private static float[] Train(ulong seed)
    {
        var gen = new RandomStream(seed);
        Tensor[] ps;
        using (TensorScope.Suspend())
            ps =
            [
                Tensor.Randn([8, 1, 25], gen, std: 0.2).RequireGrad(), Tensor.Zeros([8]).RequireGrad(),
                Tensor.Randn([8, 8, 25], gen, std: 0.07).RequireGrad(), Tensor.Zeros([8]).RequireGrad(),
                Tensor.Randn([2048, 1], gen, std: 0.02).RequireGrad(), Tensor.Zeros([1]).RequireGrad(),
            ];
        try
        {
            var losses = new List<float>();
            for (int step = 0; step < 4; step++)
            {
                using var scope = TensorScope.Begin();
                var x = Tensor.Randn([4, 1, 4096], gen);
                var target = Tensor.Rand([4, 1], gen);
                var h = Tensor.Conv1d(x, ps[0], ps[1], 4, 11).LeakyRelu(0.2); // [4, 8, 1024]
                h = Tensor.Conv1d(h, ps[2], ps[3], 4, 11).Tanh();             // [4, 8, 256]
                var y = h.Flatten(1).MatMul(ps[4]) + ps[5];
                var loss = (y - target).Square().Mean();
                losses.Add((float)loss.Item());
                var gs = Engine.Grad([loss], ps);
                for (int i = 0; i < ps.Length; i++) ps[i].AddInPlace(gs[i]!, -0.05);
            }
            return losses.Concat(ps.SelectMany(p => p.ToFloatArray())).ToArray();
        }
        finally
        {
            foreach (var p in ps) p.Dispose();
        }
    }

    [Fact]
    public void TrainingIsBitwiseIdenticalWithOneOrTwoThreads()
    {
        var one = WithThreads(1, () => Train(5));
        var two = WithThreads(2, () => Train(5));
        Assert.Equal(one.Length, two.Length);
        int diff = Enumerable.Range(0, one.Length).Count(i => BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(two[i]));
        Assert.True(diff == 0, $"{diff} of {one.Length} values differ between 1 and 2 threads (losses {string.Join(", ", one.Take(4))} vs {string.Join(", ", two.Take(4))})");
        Assert.NotEqual(one[0], one[3]); // training moved
        Assert.Equal(one, WithThreads(1, () => Train(5)));
    }
}
