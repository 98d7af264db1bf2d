using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

/// <summary>The contract of <see cref="IBackend"/> that every backend keeps (the CPU, and CUDA on a real driver or the
/// simulator): copies convert dtypes as torch's <c>copy_</c> does, views of every kind, zero and odd sizes, writes that
/// stay inside their range, and mismatched dtypes refused with an <see cref="ArgumentException"/> where a primitive does
/// not convert. Each body runs once per backend; a backend that cannot start here reports skipped.</summary>
public class BackendContractTests
{
    private static readonly DType[] DTypes = [DType.Float32, DType.Float64];

    public static TheoryData<string, string> CopyStridedCases()
    {
        var d = new TheoryData<string, string>();
        foreach (var be in TestBackends.Names)
            foreach (var c in new[] { "pad-last-axis", "cat-last-axis", "transpose-into-slice", "broadcast-rows", "rank-8", "scalar", "odd-1025", "zero-size", "size-1-dims" })
                d.Add(be, c);
        return d;
    }

    /// <summary>Views the way Tensor.Pad / Cat / transposes produce them, scattered into a strided destination view for
    /// all four dtype pairs; the rest of the destination is untouched.</summary>
    [Theory, MemberData(nameof(CopyStridedCases))]
    public void CopyStridedConvertsAndWritesOnlyTheView(string backend, string name)
    {
        var be = TestBackends.Get(backend);
        foreach (var st in DTypes)
            foreach (var dt in DTypes)
            {
                var (shape, srcLen, srcOff, srcStrides, dstLen, dstOff, dstStrides) = CopyCase(name);
                var x = For(st, Rand.Normal(srcLen, srcLen + 3));
                var y0 = For(dt, Rand.Normal(dstLen, dstLen + 4));
                var want = (double[])y0.Clone();
                RefKernels.CopyStrided(x, srcOff, srcStrides, shape, want, dstOff, dstStrides, dt == DType.Float32);
                using var xb = Up(be, st, x);
                using var yb = Up(be, dt, y0);
                be.CopyStrided(new StridedOperand(xb, srcOff, srcStrides), shape, new StridedOperand(yb, dstOff, dstStrides));
                Compare.AssertClose(want, Down(be, yb), 0, 0, $"{backend} CopyStrided {st}->{dt} {name}");
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
            // one row of 513 broadcast to 9 rows of y [9, 600], rows written last to first
            "broadcast-rows" => ([9, 513], 513, 0, [0, 1], 9 * 600, 8 * 600, [-600, 1]),
            "rank-8" => ([2, 3, 2, 3, 2, 3, 2, 5], 2 * 3 * 2 * 3 * 2 * 3 * 2 * 5, 0, [1080, 360, 180, 60, 30, 10, 5, 1],
                2 * 3 * 2 * 3 * 2 * 3 * 2 * 6, 1, [1296, 432, 216, 72, 36, 12, 6, 1]),
            // every other element of 2051 into every third of 3077, at offsets 1 and 2
            "odd-1025" => ([1025], 2051, 1, [2], 3077, 2, [3]),
            // nothing to copy: the destination stays as it was
            "zero-size" => ([3, 0, 5], 4, 0, [5, 5, 1], 6, 1, [5, 5, 1]),
            // size-1 dimensions with strides that must not matter
            "size-1-dims" => ([1, 31, 1, 3], 31 * 3, 0, [999, 3, -7, 1], 31 * 4 + 1, 1, [123, 4, 55, 1]),
            _ => ([], 3, 2, [], 4, 3, []),
        };

    public static TheoryData<string, DType> Backends() => BackendsAndDTypes();

    /// <summary>The gather copy converts too (float64 → float32 rounds to nearest), for odd lengths and offsets.</summary>
    [Theory, MemberData(nameof(Backends))]
    public void CopyConvertsAtOffsets(string backend, DType src)
    {
        var be = TestBackends.Get(backend);
        var dst = src == DType.Float32 ? DType.Float64 : DType.Float32;
        foreach (int n in new[] { 0, 1, 31, 1025 })
        {
            var x = For(src, Rand.Normal(n + 2, n));
            using var xb = Up(be, src, x);
            using var yb = Up(be, dst, Enumerable.Repeat(7.0, n + 5).ToArray());
            be.Copy(new StridedOperand(xb, 2, [1]), [n], yb, 4);
            var want = Enumerable.Repeat(7.0, n + 5).ToArray();
            for (int i = 0; i < n; i++) want[4 + i] = dst == DType.Float32 ? (float)x[2 + i] : x[2 + i];
            Compare.AssertClose(want, Down(be, yb), 0, 0, $"{backend} Copy {src}->{dst} n={n}");
        }
    }

    /// <summary>Fill, Upload and Download at an offset touch only their range; count 0 touches nothing.</summary>
    [Theory, MemberData(nameof(Backends))]
    public void FillUploadDownloadStayInTheirRange(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (int n in new[] { 0, 1, 33, 1027 })
        {
            using var b = Up(be, dt, Enumerable.Repeat(-1.0, n + 6).ToArray());
            be.Fill(b, 3, n, 2.5);
            var want = Enumerable.Repeat(-1.0, n + 6).ToArray();
            for (int i = 0; i < n; i++) want[3 + i] = 2.5;
            Compare.AssertClose(want, Down(be, b), 0, 0, $"{backend} Fill {dt} n={n}");
            var part = For(dt, Rand.Normal(n, n + 1));
            be.Upload(part, b, 2);
            part.CopyTo(want, 2);
            Compare.AssertClose(want, Down(be, b), 0, 0, $"{backend} Upload at 2 {dt} n={n}");
            var back = new double[n];
            be.Download(b, 2, back);
            Compare.AssertClose(part, back, 0, 0, $"{backend} Download at 2 {dt} n={n}");
        }
    }

    /// <summary>Primitives with nothing to do leave their output as it was.</summary>
    [Theory, MemberData(nameof(Backends))]
    public void ZeroSizesWriteNothing(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        var sentinel = Enumerable.Repeat(3.0, 8).ToArray();
        using var x = Up(be, dt, sentinel);
        using var y = Up(be, dt, sentinel);
        be.Unary(UnaryOp.Exp, x, y, 0);
        be.Arange(y, 0, 1, 1);
        be.RandomUniform(y, 0, 1, 0, 0, 1);
        be.RandomNormal(y, 0, 1, 0, 0, 1);
        be.Binary(BinaryOp.Add, new StridedOperand(x, 0, [1, 1]), new StridedOperand(x, 0, [1, 1]), y, [0, 4]);
        be.Reduce(ReduceOp.Sum, x, y, 0, 4, 2);
        be.Reduce(ReduceOp.Max, x, y, 2, 4, 0);
        be.Gemm(new GemmArgs(false, false, 0, 2, 2), x, x, y);
        be.Gemm(new GemmArgs(false, false, 2, 2, 2, Batch: 0), x, x, y);
        using var p = Up(be, dt, sentinel);
        be.AdamStep(p, x, x, x, null, 0, AdamArgs.For(1e-3, 0.9, 0.999, 1e-8, 0, 1));
        be.Synchronize();
        Compare.AssertClose(sentinel, Down(be, y), 0, 0, $"{backend} {dt} zero-size output");
        Compare.AssertClose(sentinel, Down(be, p), 0, 0, $"{backend} {dt} zero-size Adam");
    }

    /// <summary>Reductions over an empty axis: Sum and SumSquares 0, Max −inf, Min +inf, Mean NaN.</summary>
    [Theory, MemberData(nameof(Backends))]
    public void EmptyAxisReductions(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        using var x = be.Allocate(dt, 1);
        foreach (var (op, want) in new[] { (ReduceOp.Sum, 0.0), (ReduceOp.SumSquares, 0.0), (ReduceOp.Max, double.NegativeInfinity), (ReduceOp.Min, double.PositiveInfinity), (ReduceOp.Mean, double.NaN) })
        {
            using var y = be.Allocate(dt, 6);
            be.Reduce(op, x, y, 2, 0, 3);
            var got = Down(be, y);
            Assert.All(got, g => Assert.True(g.Equals(want), $"{backend} {dt} {op} of an empty axis gave {g}, want {want}"));
        }
    }

    /// <summary>Counter-based random numbers: element i depends only on (seed, offset + i), so a draw at an offset is
    /// the tail of a draw from 0, for every count (odd counts included).</summary>
    [Theory, MemberData(nameof(Backends))]
    public void RandomDependsOnlyOnSeedAndPosition(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (int n in new[] { 1, 3, 37, 1025 })
        {
            using var all = be.Allocate(dt, n + 8);
            using var tail = be.Allocate(dt, n);
            be.RandomNormal(all, n + 8, 42, 0, 0.5, 2);
            be.RandomNormal(tail, n, 42, 8, 0.5, 2);
            Compare.AssertClose(Down(be, all)[8..], Down(be, tail), 0, 0, $"{backend} {dt} RandomNormal n={n}");
            be.RandomUniform(all, n + 8, 43, 0, -1, 1);
            be.RandomUniform(tail, n, 43, 8, -1, 1);
            Compare.AssertClose(Down(be, all)[8..], Down(be, tail), 0, 0, $"{backend} {dt} RandomUniform n={n}");
        }
    }

    /// <summary>Primitives that do not convert refuse operands of different dtypes with an ArgumentException.</summary>
    [Theory, MemberData(nameof(Backends))]
    public void NonConvertingPrimitivesRefuseMixedDTypes(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        var other = dt == DType.Float32 ? DType.Float64 : DType.Float32;
        using var a = be.Allocate(dt, 4);
        using var b = be.Allocate(other, 4);
        be.Fill(a, 0, 4, 1);
        be.Fill(b, 0, 4, 1);
        Assert.Throws<ArgumentException>(() => be.Unary(UnaryOp.Neg, a, b, 4));
        Assert.Throws<ArgumentException>(() => be.Binary(BinaryOp.Add, new StridedOperand(a, 0, [1]), new StridedOperand(a, 0, [1]), b, [4]));
        Assert.Throws<ArgumentException>(() => be.Reduce(ReduceOp.Sum, a, b, 1, 4, 1));
        Assert.Throws<ArgumentException>(() => be.Gemm(new GemmArgs(false, false, 2, 2, 1), a, a, b));
    }
}
