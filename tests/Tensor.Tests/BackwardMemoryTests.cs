using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>What a backward pass without createGraph holds: each gradient is freed once the node that consumes it has run,
/// the node's saved references are dropped right after its rule, contributions are added in place where nobody else sees
/// the buffer, a slice's gradient is added into the slice, and identity rules pass the gradient through. Memory is read
/// from the device allocator's peak (<see cref="Devices.Memory"/>); the gradients must equal, bit for bit, those of the
/// createGraph path, which keeps every gradient and writes nothing in place (the engine's behaviour before).</summary>
[Collection(SerialCollection.Name)]
public class BackwardMemoryTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    /// <summary>[128, 128] float64: 131072 bytes, a whole size class of both allocators.</summary>
    private const int Side = 128;
    private const long Bytes = Side * Side * 8L;

    private static Tensor Leaf(Device dev, RandomStream gen, params int[] shape) =>
        Tensor.Rand(shape, gen, -1, 1, DType.Float64, dev).RequireGrad();

    /// <summary>Grad over a chain of 24 tanh: the old engine kept all 24 intermediate gradients until the end; now at
    /// most the gradient being consumed, the one being made and a kernel temporary are live at once.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void BackwardFreesEachGradientOnceConsumed(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Leaf(dev, new RandomStream(1), Side, Side);
        var chain = new List<Tensor> { x };
        for (int i = 0; i < 24; i++) chain.Add(chain[^1].Tanh());
        var loss = chain[^1].Sum();
        long count = Tensor.LiveCount, live = Devices.Memory(dev).LiveBytes;
        Devices.ResetPeakMemory(dev);
        var g = Engine.Grad(loss, x)!;
        long extra = Devices.Memory(dev).PeakLiveBytes - live;
        Assert.True(extra <= 3 * Bytes, $"backward peaked at {extra} bytes above the forward, {extra / (double)Bytes:F1} gradients' worth");
        // after it: the gradient it returns and nothing else
        Assert.Equal(count + 1, Tensor.LiveCount);
        Assert.Equal(live + Bytes, Devices.Memory(dev).LiveBytes);
        // every node's saved tensors were dropped
        foreach (var t in chain.Skip(1))
        {
            Assert.True(t.GradFn!.Released);
            Assert.Empty(t.GradFn.Inputs);
            Assert.Null(t.GradFn.Output);
        }
        Assert.Equal(DType.Float64, g.DType);
    }

    /// <summary>With retainGraph the nodes keep their saved tensors (a second pass works), and gradients are still freed.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RetainGraphKeepsTheSavedTensors(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Leaf(dev, new RandomStream(2), Side, Side);
        var y = x.Tanh().Exp().Square();
        var loss = y.Sum();
        var g1 = Engine.Grad([loss], [x], retainGraph: true)[0]!;
        Assert.False(y.GradFn!.Released);
        Assert.Single(y.GradFn.Inputs);
        var g2 = Engine.Grad(loss, x)!;
        Assert.Equal(Bits(g1), Bits(g2));
        Assert.True(y.GradFn.Released);
    }

    /// <summary>AddScalar and Contiguous pass the upstream gradient through: a chain of them allocates no gradient at all
    /// (the result is the broadcast ones of the sum, a view).</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void IdentityGradientsAreNotCopied(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Leaf(dev, new RandomStream(3), Side, Side);
        var loss = (x + 1.0).Contiguous().Sub(2.0).Add(3.0).Contiguous().Sum();
        long live = Devices.Memory(dev).LiveBytes;
        Devices.ResetPeakMemory(dev);
        var g = Engine.Grad(loss, x)!;
        long extra = Devices.Memory(dev).PeakLiveBytes - live;
        Assert.True(extra < Bytes, $"identity gradients allocated {extra} bytes");
        Assert.All(g.ToDoubleArray(), v => Assert.Equal(1.0, v));
    }

    /// <summary>Fan-out graphs (a tensor used by several ops, Add handing one gradient to both inputs, views of a gradient,
    /// broadcasting, gradients with respect to an intermediate): the in-place sums give bitwise the gradients of the
    /// copying path (createGraph), for Grad and for Backward into existing leaf gradients.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void InPlaceAccumulationMatchesTheCopyingPathBitwise(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(4);
        using var scope = TensorScope.Begin();
        var x = Leaf(dev, gen, 5, 7);
        var b = Leaf(dev, gen, 7);
        var w = Leaf(dev, gen, 7, 3);
        Tensor FanOut(out Tensor h)
        {
            h = (x + b).Tanh();
            var hh = h + h;                                   // one gradient object for both inputs
            var r = hh * h + h.Exp() - x * x;                 // h and x used again
            var v = r.Reshape(7, 5).Permute(1, 0).Reshape(5, 7); // views of the gradient
            var m = (v + x).MatMul(w) + h.MatMul(w);          // w twice, x three times
            return (m.Square() * 0.5).Sum() + v.Sum() + (x + 1.0).Mean();
        }

        var loss = FanOut(out var h1);
        var fast = Engine.Grad([loss], [x, b, w, h1]);
        var loss2 = FanOut(out var h2);
        var slow = Engine.Grad([loss2], [x, b, w, h2], createGraph: true);
        for (int i = 0; i < fast.Length; i++) Assert.Equal(Bits(slow[i]!), Bits(fast[i]!));

        // Backward twice: the first's gradients become the leaves' (no copy), the second adds into them
        FanOut(out _).Backward();
        FanOut(out _).Backward();
        Assert.Equal(Bits(slow[0]! + slow[0]!), Bits(x.Grad!));
        Assert.Equal(Bits(slow[1]! + slow[1]!), Bits(b.Grad!));
        Assert.Equal(Bits(slow[2]! + slow[2]!), Bits(w.Grad!));
        foreach (var p in new[] { x, b, w })
        {
            p.Grad!.Dispose();
            p.Grad = null;
        }
    }

    /// <summary>Overlapping slices on every axis and a phase-shuffle-like Cat of slices: a float64 gradient check, bitwise
    /// equality with the zero-pad-and-add rule of the createGraph path (a −0 outside a slice may read +0 there, so zeros
    /// compare by value), and the memory: the input's gradient plus one slice-sized temporary, not a padded copy per slice.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void SliceGradientsAreAddedIntoTheSlice(string device)
    {
        var dev = DeviceRows.Get(device);
        Tensor Slices(Tensor x) =>
            (x.Slice(0, 0, 2).Tanh().Sum() + x.Slice(0, 1, 2).Square().Sum() * 0.5)
            + (x.Slice(1, 1, 3) * x.Slice(1, 0, 3)).Sum()
            + Tensor.Cat([x.Slice(2, 2, 1), x.Slice(2, 1, 1), x.Slice(2, 0, 7)], 2).Exp().Sum()
            + x.Slice(2, 4, 5).Slice(0, 1, 1).Sin().Sum();
        var shape = new[] { 3, 4, 9 };
        var data = Enumerable.Range(0, 108).Select(i => Math.Sin(i * 0.37) * 0.8).ToArray();
        GradCheck.Check("slices", xs => Slices(xs[0]), [new GradInput(data, shape)], expectKind: OpKind.Slice, device: dev);

        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(data, shape, device: dev).RequireGrad();
        var fast = Engine.Grad(Slices(x), x)!;
        var slow = Engine.Grad(Slices(x), x, createGraph: true)!;
        Assert.Equal(Bits(slow), Bits(fast));

        // eight slices of 127 rows of [128, 128]: the old rule padded each to full size and added
        var big = Leaf(dev, new RandomStream(5), Side, Side);
        Tensor? total = null;
        for (int i = 0; i < 8; i++)
        {
            var term = big.Slice(0, i % 2, Side - 1).Tanh().Sum();
            total = total is null ? term : total + term;
        }
        long live = Devices.Memory(dev).LiveBytes;
        Devices.ResetPeakMemory(dev);
        var gb = Engine.Grad(total!, big)!;
        long extra = Devices.Memory(dev).PeakLiveBytes - live;
        Assert.True(extra <= 4 * Bytes, $"slice backward peaked at {extra / (double)Bytes:F1} gradients' worth");
        Assert.All(gb.ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
    }

    /// <summary>A createGraph pass keeps only what its new graph's nodes read: here the gradient it returns (the old engine
    /// also kept both tanh gradients, both zero-padded slices and their sum's operands, over 4 gradients' worth); a backward
    /// through the new graph frees what its nodes held (the two broadcast upstream gradients the TanhBwd nodes read).
    /// Second-order values are checked by SecondOrderTests and GradCheckTests.SecondOrder.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void CreateGraphKeepsOnlyWhatTheNewGraphReads(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        var x = Leaf(dev, new RandomStream(7), Side, Side);
        var y = x.Slice(0, 0, Side - 1).Tanh().Sum() + x.Slice(0, 1, Side - 1).Tanh().Sum();
        long count = Tensor.LiveCount, live = Devices.Memory(dev).LiveBytes;
        var g = Engine.Grad(y, x, createGraph: true)!;
        long kept = Devices.Memory(dev).LiveBytes - live;
        Assert.True(kept <= Bytes + Bytes / 2, $"the createGraph pass kept {kept / (double)Bytes:F2} gradients' worth");
        Assert.True(g.RequiresGrad);
        var pen = g.Square().Sum();
        long beforeBackward = Tensor.LiveCount;
        pen.Backward();
        Assert.True(Tensor.LiveCount <= beforeBackward + 1 - 2, $"{Tensor.LiveCount - beforeBackward} tensors more after backward");
        Assert.True(x.Grad is not null);
        x.Grad!.Dispose();
        x.Grad = null;
        Assert.True(Tensor.LiveCount > count);
    }

    /// <summary>The kernel under the slice path: this[slice] += g on each axis with odd sizes, each element as
    /// this + g.Pad(…), the rest untouched (bitwise).</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void AddIntoSliceMatchesPadThenAdd(string device)
    {
        var dev = DeviceRows.Get(device);
        var gen = new RandomStream(6);
        using var scope = TensorScope.Begin();
        int[] shape = [3, 5, 7];
        for (int axis = 0; axis < 3; axis++)
            foreach (var (start, len) in new[] { (0, 1), (1, shape[axis] - 2), (0, shape[axis]), (shape[axis] - 1, 1) })
            {
                var acc = Tensor.Randn(shape, gen, dtype: DType.Float64, device: dev);
                var gShape = (int[])shape.Clone();
                gShape[axis] = len;
                var g = Tensor.Randn(gShape, gen, dtype: DType.Float64, device: dev);
                var expected = acc + g.Pad(axis, start, shape[axis] - start - len);
                var before = acc.ToDoubleArray();
                acc.AddIntoSlice(axis, start, g);
                var got = acc.ToDoubleArray();
                var want = expected.ToDoubleArray();
                Assert.Equal(want.Select(BitConverter.DoubleToInt64Bits), got.Select(BitConverter.DoubleToInt64Bits));
                // a strided gradient (a transposed view) gives the same
                var acc2 = Tensor.FromArray(before, shape, device: dev);
                var gT = g.Transpose(0, 2).ContiguousCopy().Transpose(0, 2);
                acc2.AddIntoSlice(axis, start, gT);
                Assert.Equal(got.Select(BitConverter.DoubleToInt64Bits), acc2.ToDoubleArray().Select(BitConverter.DoubleToInt64Bits));
            }
        var t = Tensor.Zeros([3, 4], DType.Float64, dev);
        Assert.Throws<TensorShapeException>(() => t.AddIntoSlice(1, 2, Tensor.Zeros([3, 3], DType.Float64, dev)));
        Assert.Throws<TensorShapeException>(() => t.AddIntoSlice(1, 0, Tensor.Zeros([2, 3], DType.Float64, dev)));
    }

    /// <summary>The allocator reports live, cached and reserved bytes with their peaks; freed buffers go back to their size
    /// class and serve a request of a slightly different size.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void AllocatorReportsPeaksAndReusesSizeClasses(string device)
    {
        var dev = DeviceRows.Get(device);
        const long cls = 12288; // 3000 and 2990 floats (12000 and 11960 bytes) share the 512-byte class 12288
        Devices.ResetPeakMemory(dev);
        var s0 = Devices.Memory(dev);
        Assert.Equal(s0.LiveBytes, s0.PeakLiveBytes);
        Assert.Equal(s0.LiveBytes + s0.CachedBytes, s0.ReservedBytes);
        var a = Tensor.Zeros([3000], DType.Float32, dev);
        var s1 = Devices.Memory(dev);
        Assert.Equal(s0.LiveBytes + cls, s1.LiveBytes);
        Assert.Equal(s1.LiveBytes, s1.PeakLiveBytes);
        a.Dispose();
        var s2 = Devices.Memory(dev);
        Assert.Equal(s0.LiveBytes, s2.LiveBytes);
        Assert.Equal(s1.PeakLiveBytes, s2.PeakLiveBytes);
        Assert.True(s2.CachedBytes >= cls);
        var b = Tensor.Zeros([2990], DType.Float32, dev);
        var s3 = Devices.Memory(dev);
        Assert.Equal(s2.ReservedBytes, s3.ReservedBytes); // served from the cache: nothing new reserved
        Assert.Equal(s2.CachedBytes - cls, s3.CachedBytes);
        Assert.True(s3.PeakReservedBytes >= s3.ReservedBytes);
        b.Dispose();
        Assert.Equal(s0.LiveBytes, Devices.Memory(dev).LiveBytes);
    }

    [Fact]
    public void CpuSizeClasses()
    {
        Assert.Equal(1023, Kernels.Cpu.CpuMemoryPool.BucketLength(1023, 4));   // below the pooled minimum: exact
        Assert.Equal(1024, Kernels.Cpu.CpuMemoryPool.BucketLength(1024, 4));   // 4096 B
        Assert.Equal(1152, Kernels.Cpu.CpuMemoryPool.BucketLength(1025, 4));   // 4100 B → 4608 B
        Assert.Equal(1088, Kernels.Cpu.CpuMemoryPool.BucketLength(1025, 8));   // 8200 B → 8704 B
        Assert.Equal(524288, Kernels.Cpu.CpuMemoryPool.BucketLength(300000, 4)); // 1.2 MB → 2 MiB
        Assert.Equal(262144, Kernels.Cpu.CpuMemoryPool.BucketLength(262144, 4)); // exactly 1 MiB
    }

    /// <summary>Bit patterns of a gradient, with −0 read as +0.</summary>
    private static long[] Bits(Tensor t) =>
        t.ToDoubleArray().Select(v => BitConverter.DoubleToInt64Bits(v == 0 ? 0.0 : v)).ToArray();
}
