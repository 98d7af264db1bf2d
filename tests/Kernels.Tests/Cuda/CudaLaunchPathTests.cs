using GanAudio.Kernels.Cuda;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The launch path: each kernel is resolved by name once into its table slot, and a launch after that
/// allocates no managed memory (no name string, no argument array, no layout lists).</summary>
public class CudaLaunchPathTests
{
    [Fact]
    public void LaunchesAfterWarmUpAllocateNothing()
    {
        var be = CudaTestEnvironment.Get();
        const int rows = 7, cols = 131, n = rows * cols;
        using var x = be.Allocate(DType.Float32, n);
        using var y = be.Allocate(DType.Float32, n);
        using var z = be.Allocate(DType.Float32, n);
        using var r = be.Allocate(DType.Float32, rows);
        using var m = be.Allocate(DType.Float32, n);
        using var v = be.Allocate(DType.Float32, n);
        using var x64 = be.Allocate(DType.Float64, n);
        int[] shape = [rows, cols], tShape = [cols, rows];
        var a = new StridedOperand(x, 0, [cols, 1]);
        var bRow = new StridedOperand(y, 0, [0, 1]);  // broadcast over rows
        var xT = new StridedOperand(x, 0, [1, cols]);  // transposed view
        var zT = new StridedOperand(z, 0, [rows, 1]);
        var adam = new AdamArgs(1e-3, 0.9, 0.999, 1e-8, 0, 1);

        void Round()
        {
            be.Fill(x, 0, n, 0.25);
            be.Arange(y, n, 0, 1e-3);
            be.RandomNormal(m, n, 7, 0, 0, 1);
            be.Unary(UnaryOp.Tanh, x, y, n);
            be.Unary(UnaryOp.LeakyRelu, y, z, n, 0.2);
            be.Binary(BinaryOp.Add, a, bRow, z, shape);
            be.Binary(BinaryOp.Mul, a, a, z, shape);
            be.Reduce(ReduceOp.Sum, x, r, rows, cols, 1);
            be.Copy(xT, tShape, z);
            be.Copy(a, shape, x64);  // f32 → f64 conversion
            be.CopyStrided(xT, tShape, zT);
            be.AdamStep(x, y, m, v, null, n, adam);
        }

        for (int i = 0; i < 3; i++) Round();  // resolves, compiles or loads, JIT-compiles
        be.Synchronize();
        var launches = be.Counters.Launches;
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int rounds = 20;
        for (int i = 0; i < rounds; i++) Round();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        be.Synchronize();
        Assert.True(be.Counters.Launches - launches >= rounds * 12, "the rounds launched");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void EachKernelResolvesOnceThenComesFromTheTable()
    {
        var be = CudaTestEnvironment.Fresh();  // own tables: the shared backend's are filled by other tests
        const int n = 1031;
        using var x = be.Allocate(DType.Float32, n);
        using var y = be.Allocate(DType.Float32, n);
        using var x64 = be.Allocate(DType.Float64, n);
        using var r = be.Allocate(DType.Float32, 1);
        Assert.Equal(0, be.KernelResolutions);
        be.Fill(x, 0, n, 1);
        Assert.Equal(1, be.KernelResolutions);
        for (int i = 0; i < 10; i++) be.Fill(x, 0, n, i);
        Assert.Equal(1, be.KernelResolutions);
        be.Fill(x64, 0, n, 1);  // another dtype: another slot
        Assert.Equal(2, be.KernelResolutions);
        for (int i = 0; i < 10; i++) be.Unary(UnaryOp.Tanh, x, y, n);
        Assert.Equal(3, be.KernelResolutions);
        be.Unary(UnaryOp.Neg, x, y, n);
        Assert.Equal(4, be.KernelResolutions);
        int[] shape = [n];
        var sa = new StridedOperand(x, 0, [1]);
        for (int i = 0; i < 10; i++) be.Binary(BinaryOp.Sub, sa, sa, y, shape);
        Assert.Equal(5, be.KernelResolutions);
        for (int i = 0; i < 10; i++) be.Reduce(ReduceOp.Max, x, r, 1, n, 1);
        Assert.Equal(6, be.KernelResolutions);
        var host = new float[n];
        be.Download(y, 0, host);
        Assert.All(host, h => Assert.Equal(0f, h));
        var max = new float[1];
        be.Download(r, 0, max);
        Assert.Equal(9f, max[0]);
    }

    [Fact]
    public void TableSlotsHoldTheNamedSymbols()
    {
        var be = CudaTestEnvironment.Get();
        foreach (var t in new[] { DType.Float32, DType.Float64 })
        {
            foreach (var op in Enum.GetValues<UnaryOp>()) Assert.Equal(CudaKernelNames.Unary(op, t), be.Modules.Unary(op, t).Name);
            foreach (var op in Enum.GetValues<BinaryOp>()) Assert.Equal(CudaKernelNames.Binary(op, t), be.Modules.Binary(op, t).Name);
            foreach (var op in Enum.GetValues<ReduceOp>()) Assert.Equal(CudaKernelNames.Reduce(op, t), be.Modules.Reduce(op, t).Name);
            foreach (var k in Enum.GetValues<CudaKernel>()) Assert.Equal(CudaKernelNames.Plain(k, t).Kernel, be.Modules.Plain(k, t).Name);
            foreach (var d in new[] { DType.Float32, DType.Float64 })
            {
                Assert.Equal(CudaKernelNames.Copy(t, d), be.Modules.Copy(t, d).Name);
                Assert.Equal(CudaKernelNames.CopyStrided(t, d), be.Modules.CopyStrided(t, d).Name);
            }
        }
        // the table and the name lookup give the same driver handle
        Assert.Equal(be.Modules.Function(CudaKernelNames.CopyFile, CudaKernelNames.Fill(DType.Float32)).Handle,
            be.Modules.Plain(CudaKernel.Fill, DType.Float32).Handle);
    }

    [Fact]
    public unsafe void PackedLayoutMatchesStridedLayout()
    {
        var rng = new Random(13);
        for (int trial = 0; trial < 2000; trial++)
        {
            int rank = rng.Next(0, Limits.MaxRank + 1);
            var shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = rng.Next(4) == 0 ? 1 : rng.Next(0, 6);
            int[] Strides(bool zeros)
            {
                var s = new int[rank];
                int acc = 1;
                for (int d = rank - 1; d >= 0; d--)  // contiguous, sometimes broadcast, sometimes padded: merges and breaks
                {
                    s[d] = zeros && rng.Next(3) == 0 ? 0 : acc;
                    acc *= Math.Max(1, shape[d]) + (rng.Next(4) == 0 ? 1 : 0);
                }
                return s;
            }
            var sa = Strides(rng.Next(2) == 0);
            var sb = rng.Next(3) == 0 ? null : Strides(true);
            var want = new StridedLayout(shape, sa, sb);
            var got = TwoOperandLayout.Build(shape, sa, sb, out long numel);
            Assert.Equal(want.Numel, numel);
            Assert.Equal(want.Rank, got.Rank);
            for (int d = 0; d < want.Rank; d++)
            {
                Assert.Equal(want.Shape[d], got.Shape[d]);
                Assert.Equal(want.StridesA[d], got.Sa[d]);
                Assert.Equal(want.StridesB[d], got.Sb[d]);
            }
        }
    }
}
