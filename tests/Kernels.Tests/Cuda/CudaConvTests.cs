using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The CUDA conv1d path (im2col / col2im kernels + GEMM) against the reference in forward and shuffled thread order,
/// with the batch split into chunks, and the one-kernel CopyStrided against a plain loop.</summary>
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

    /// <summary>Views the way Tensor.Pad / Cat / transposes produce them: a source view (strided, transposed, broadcast,
    /// offset) scattered into a strided destination view; the rest of the destination is untouched.</summary>
    public static TheoryData<string> CopyCases() => new() { "pad-last-axis", "cat-last-axis", "transpose-into-slice", "broadcast-rows", "rank-8", "scalar" };

    [Theory]
    [MemberData(nameof(CopyCases))]
    public void CopyStridedMatchesLoop(string name)
    {
        var be = Backend("shuffle");
        try
        {
            foreach (var (st, dt) in new[] { (DType.Float32, DType.Float32), (DType.Float64, DType.Float64), (DType.Float32, DType.Float64) })
            {
                var (shape, srcLen, srcOff, srcStrides, dstLen, dstOff, dstStrides) = CopyCase(name);
                var x = Rand.AsFloat(Rand.Normal(srcLen, srcLen + 3));
                var y0 = Rand.AsFloat(Rand.Normal(dstLen, dstLen + 4));
                var want = (double[])y0.Clone();
                long n = 1;
                foreach (int s in shape) n *= s;
                for (long i = 0; i < n; i++)
                {
                    long rem = i, so = srcOff, d = dstOff;
                    for (int k = shape.Length - 1; k >= 0; k--)
                    {
                        long idx = rem % shape[k];
                        rem /= shape[k];
                        so += idx * srcStrides[k];
                        d += idx * dstStrides[k];
                    }
                    want[d] = x[so];
                }
                using var xb = TestBackends.Upload(be, st, x);
                using var yb = TestBackends.Upload(be, dt, y0);
                ((IBackend)be).CopyStrided(new StridedOperand(xb, srcOff, srcStrides), shape, new StridedOperand(yb, dstOff, dstStrides));
                Compare.AssertClose(want, TestBackends.Download(be, yb), 0, 0, $"{CudaKernelNames.CopyStrided(st, dt)} {name}");
            }
        }
        finally
        {
            CudaTestEnvironment.SetOrder(be, -1);
        }
    }

    private static (int[] Shape, int SrcLen, int SrcOff, int[] SrcStrides, int DstLen, int DstOff, int[] DstStrides) CopyCase(string name) =>
        name switch
        {
            // x [3, 5, 1000] into the middle of y [3, 5, 1030] (left pad 11)
            "pad-last-axis" => ([3, 5, 1000], 15000, 0, [5000, 1000, 1], 3 * 5 * 1030, 11, [5150, 1030, 1]),
            // x [4, 2, 777] as the second part of y [4, 2, 777 + 333] along the last axis
            "cat-last-axis" => ([4, 2, 777], 4 * 2 * 777, 0, [1554, 777, 1], 4 * 2 * 1110, 333, [2220, 1110, 1]),
            // xᵀ of a [60, 45] matrix (offset 7) into rows 2.. of a [50, 70] matrix, columns 5..
            "transpose-into-slice" => ([45, 60], 7 + 60 * 45, 7, [1, 45], 50 * 70, 2 * 70 + 5, [70, 1]),
            // one row of 513 broadcast to 9 rows of y [9, 600], every other row reversed in order of rows
            "broadcast-rows" => ([9, 513], 513, 0, [0, 1], 9 * 600, 8 * 600, [-600, 1]),
            "rank-8" => ([2, 3, 2, 3, 2, 3, 2, 5], 2 * 3 * 2 * 3 * 2 * 3 * 2 * 5, 0, [1080, 360, 180, 60, 30, 10, 5, 1],
                2 * 3 * 2 * 3 * 2 * 3 * 2 * 6, 1, [1296, 432, 216, 72, 36, 12, 6, 1]),
            _ => ([], 3, 2, [], 4, 3, []),
        };
}
