using GanAudio.Kernels.Cpu;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

/// <summary>Tests that change process-wide kernel settings (thread count, forced code paths) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class SerialCollection
{
    public const string Name = "serial kernel settings";
}

[Collection(SerialCollection.Name)]
public class DeterminismTests
{
    private static T WithThreads<T>(int threads, Func<T> f)
    {
        int saved = CpuParallel.MaxThreads;
        try
        {
            CpuParallel.MaxThreads = threads;
            return f();
        }
        finally
        {
            CpuParallel.MaxThreads = saved;
        }
    }

    internal static void SameWithOneAndTwoThreads(Func<double[]> run, string what)
    {
        var one = WithThreads(1, run);
        var two = WithThreads(2, run);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
            if (BitConverter.DoubleToInt64Bits(one[i]) != BitConverter.DoubleToInt64Bits(two[i]))
                Assert.Fail($"{what}: element {i} differs between 1 and 2 threads ({one[i]:R} vs {two[i]:R})");
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void GemmIsBitwiseIdenticalAcrossThreadCounts(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        SameWithOneAndTwoThreads(() => GemmTests.Check(be, dt, new GemmArgs(false, true, 300, 310, 530, 0.5, 0.5)), "gemm");
        SameWithOneAndTwoThreads(() => GemmTests.Check(be, dt, new GemmArgs(true, false, 20, 70, 40, Batch: 9, StrideA: 800, StrideB: 0, StrideC: 1400)), "batched gemm");
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void ConvIsBitwiseIdenticalAcrossThreadCounts(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var g in new Conv1dGeometry[] { new(3, 20, 30, 4096, 1024, 25, 4, 11), new(4, 40, 50, 64, 16, 25, 4, 11), new(4, 1, 8, 8192, 2048, 25, 4, 11), new(5, 37, 29, 64, 16, 25, 4, 11) })
        {
            SameWithOneAndTwoThreads(() => ConvTests.CheckForward(be, dt, g, bias: true), $"conv fwd {g}");
            SameWithOneAndTwoThreads(() => ConvTests.CheckBackwardData(be, dt, g), $"conv bwd-data {g}");
            SameWithOneAndTwoThreads(() => ConvTests.CheckBackwardWeight(be, dt, g), $"conv bwd-weight {g}");
        }
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void ReduceIsBitwiseIdenticalAcrossThreadCounts(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var op in Enum.GetValues<ReduceOp>())
        foreach (var (o, n, i) in new[] { (1, 100_003, 1), (64, 2000, 1), (8, 500, 33) })
        {
            var x = For(dt, Rand.Normal(o * n * i, 5));
            SameWithOneAndTwoThreads(() =>
            {
                using var xb = Up(be, dt, x);
                using var yb = be.Allocate(dt, o * i);
                be.Reduce(op, xb, yb, o, n, i);
                return Down(be, yb);
            }, $"reduce {op} [{o},{n},{i}]");
        }
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void RandomIsBitwiseIdenticalAcrossThreadCounts(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        SameWithOneAndTwoThreads(() =>
        {
            using var b = be.Allocate(dt, 100_000);
            be.RandomNormal(b, 100_000, 9, 3, 0, 1);
            return Down(be, b);
        }, "random normal");
        SameWithOneAndTwoThreads(() =>
        {
            using var b = be.Allocate(dt, 100_000);
            be.RandomUniform(b, 100_000, 9, 3, -2, 2);
            return Down(be, b);
        }, "random uniform");
    }
}

/// <summary>CPU-only: the code paths the shape heuristics or the CPU would not pick here (every conv form, the
/// Vector256 micro-kernel on AVX-512 machines) against the reference.</summary>
[Collection(SerialCollection.Name)]
public class CpuForcedPathTests
{
    [Theory]
    [InlineData(DType.Float32, 1)]
    [InlineData(DType.Float32, 2)]
    [InlineData(DType.Float64, 1)]
    [InlineData(DType.Float64, 2)]
    [InlineData(DType.Float32, 3)]
    [InlineData(DType.Float64, 3)]
    public void AllConvFormsMatchReference(DType dt, int form)
    {
        var be = CpuBackend.Instance;
        try
        {
            ConvCpu.ForceForm = form;
            foreach (var g in ConvTests.WaveGan.Concat(ConvTests.Generic))
            {
                ConvTests.CheckForward(be, dt, g, bias: true);
                ConvTests.CheckForward(be, dt, g, bias: false);
                ConvTests.CheckBackwardData(be, dt, g);
                ConvTests.CheckBackwardWeight(be, dt, g);
            }
        }
        finally
        {
            ConvCpu.ForceForm = 0;
        }
    }

    /// <summary>Shapes for the batched backward-data form (w read in place through per-phase tap offsets): channels
    /// below, at and past one 12-row panel with partial last panels, several row tiles and K blocks, LIn not a multiple
    /// of the stride (phases of different lengths), kernels shorter than the stride (phases without taps), Batch 1,
    /// Batch·jCount not a multiple of NR (column tails) and above 32 panels (several column tiles).</summary>
    public static readonly Conv1dGeometry[] BatchedBackwardData =
    [
        new(5, 150, 60, 64, 16, 25, 4, 11),
        new(3, 12, 40, 62, 15, 25, 4, 11),
        new(1, 7, 300, 40, 10, 25, 4, 11),
        new(3, 13, 5, 31, 8, 3, 4, 1),
        new(2, 25, 3, 29, 29, 3, 1, 1),
        new(4, 37, 29, 64, 16, 25, 4, 11),
        new(2, 20, 30, 2100, 525, 25, 4, 11),
    ];

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void BatchedBackwardDataMatchesReferenceAndIsThreadCountIndependent(DType dt)
    {
        var be = CpuBackend.Instance;
        try
        {
            ConvCpu.ForceForm = 3;
            foreach (var g in BatchedBackwardData)
                DeterminismTests.SameWithOneAndTwoThreads(() => ConvTests.CheckBackwardData(be, dt, g), $"conv bwd-data (batched) {g}");
        }
        finally
        {
            ConvCpu.ForceForm = 0;
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Vector256KernelMatchesReference(DType dt)
    {
        var be = CpuBackend.Instance;
        try
        {
            GemmCore.ForceVector256 = true;
            foreach (int t in new[] { 0, 1, 2, 3 })
                GemmTests.Check(be, dt, new GemmArgs((t & 1) != 0, (t & 2) != 0, 65, 37, 300, 0.5, 0.5));
            GemmTests.Check(be, dt, new GemmArgs(false, false, 7, 9, 11, Batch: 3, StrideA: 77, StrideB: 0, StrideC: 63));
            foreach (var g in ConvTests.WaveGan.Skip(2).Concat(ConvTests.Generic))
            {
                ConvTests.CheckForward(be, dt, g, bias: true);
                ConvTests.CheckBackwardData(be, dt, g);
                ConvTests.CheckBackwardWeight(be, dt, g);
            }
        }
        finally
        {
            GemmCore.ForceVector256 = false;
        }
    }
}
