using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The CUDA conv1d path (im2col / col2im kernels + GEMM) against the reference in forward and shuffled thread order,
/// with the batch split into chunks. (CopyStrided is in the backend contract suite, BackendContractTests.)</summary>
public class CudaConvTests
{
    private static CudaBackend Backend(string order)
    {
        var be = CudaTestEnvironment.Get();
        if (order != "forward") Assert.SkipUnless(be.IsSimulator, "thread order can be changed on the simulator only");
        CudaTestEnvironment.SetOrder(be, CudaTestEnvironment.ParseOrder(order));
        return be;
    }

    public static TheoryData<string, DType> OrdersAndDTypes()
    {
        var d = new TheoryData<string, DType>();
        foreach (var o in new[] { "forward", "shuffle" })
            foreach (var t in new[] { DType.Float32, DType.Float64 })
                d.Add(o, t);
        return d;
    }

    [Theory]
    [MemberData(nameof(OrdersAndDTypes))]
    public void AllGeometriesMatchReferenceInThreadOrder(string order, DType dt)
    {
        var be = Backend(order);
        try
        {
            foreach (var g in ConvTests.Generic.Concat(ConvTests.WaveGan))
            {
                ConvTests.CheckForward(be, dt, g, bias: true, seed: 5);
                ConvTests.CheckBackwardData(be, dt, g, seed: 6);
                ConvTests.CheckBackwardWeight(be, dt, g, seed: 7);
            }
        }
        finally
        {
            CudaTestEnvironment.SetOrder(be, -1);
        }
    }

    /// <summary>Column limits below one sample (chunks of 1), of two and a half samples (2, 2, 1) and of four (4, 1) give the
    /// reference results.</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void BatchChunksMatchReference(DType dt)
    {
        var be = CudaTestEnvironment.Get();
        var g = new Conv1dGeometry(5, 3, 4, 64, 16, 5, 4, 2);
        long perSample = (long)g.CIn * g.Kernel * g.LOut * dt.Size();
        long saved = be.ColumnBytes;
        try
        {
            foreach (long limit in new[] { 1, 2 * perSample + perSample / 2, 4 * perSample })
            {
                be.ColumnBytes = limit;
                ConvTests.CheckForward(be, dt, g, bias: true, seed: 11);
                ConvTests.CheckBackwardData(be, dt, g, seed: 12);
                ConvTests.CheckBackwardWeight(be, dt, g, seed: 13);
            }
        }
        finally
        {
            be.ColumnBytes = saved;
        }
    }
}
