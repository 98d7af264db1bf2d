using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The CUDA phase shuffle kernels against the reference, bit for bit, in forward and shuffled thread order (the
/// order matters on the simulator only), and the launch count: one launch per 48 examples, no host synchronisation.</summary>
public class CudaPhaseShuffleTests
{
    public static TheoryData<string, DType> Cases()
    {
        var d = new TheoryData<string, DType>();
        foreach (var o in new[] { "forward", "shuffle" })
            foreach (var t in new[] { DType.Float32, DType.Float64 })
                d.Add(o, t);
        return d;
    }

    private static CudaBackend Backend(string order)
    {
        var be = CudaTestEnvironment.Get();
        if (order != "forward") Assert.SkipUnless(be.IsSimulator, "thread order can be changed on the simulator only");
        CudaTestEnvironment.SetOrder(be, CudaTestEnvironment.ParseOrder(order));
        return be;
    }

    [Theory, MemberData(nameof(Cases))]
    public void ForwardAndBackwardMatchTheReferenceInEachThreadOrder(string order, DType t)
    {
        var be = Backend(order);
        foreach (var c in PhaseShuffleTests.All())
            foreach (bool backward in new[] { false, true })
            {
                var (want, got) = PhaseShuffleTests.Run(be, t, c, backward, seed: 7);
                PhaseShuffleTests.AssertBitwise(want, got, $"{CudaKernelNames.PhaseShuffle(backward, t)} {c} {order}");
            }
    }

    [Fact]
    public void OneLaunchPer48ExamplesAndNoHostSync()
    {
        var be = CudaTestEnvironment.Get();
        CudaTestEnvironment.SetOrder(be, CudaTestEnvironment.Forward);
        using var x = be.Allocate(DType.Float32, 100 * 2 * 16);
        using var y = be.Allocate(DType.Float32, 100 * 2 * 16);
        var shifts = Enumerable.Range(0, 100).Select(i => i % 5 - 2).ToArray();
        be.PhaseShuffleForward(x, shifts, y, 100, 2, 16);  // compiles the module first
        var before = be.Counters;
        be.PhaseShuffleForward(x, shifts, y, 100, 2, 16);
        be.PhaseShuffleBackward(y, shifts, x, 100, 2, 16);
        var after = be.Counters;
        Assert.Equal(6, after.Launches - before.Launches);
        Assert.Equal(0, after.HostSyncs - before.HostSyncs);
        Assert.Equal(0, after.BytesToDevice - before.BytesToDevice);
    }
}
