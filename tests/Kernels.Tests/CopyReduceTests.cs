using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

public class CopyTests
{
    public static TheoryData<string, DType, DType> CopyCases()
    {
        var d = new TheoryData<string, DType, DType>();
        foreach (var row in TestBackends.Names)
            foreach (var s in new[] { DType.Float32, DType.Float64 })
                foreach (var t in new[] { DType.Float32, DType.Float64 })
                    d.Add(row, s, t);
        return d;
    }

    [Theory, MemberData(nameof(CopyCases))]
    public void StridedCopyMatchesReference(string backend, DType src, DType dst)
    {
        var be = TestBackends.Get(backend);
        var views = new (int[] Shape, int[] Strides, int Offset, int Len, string What)[]
        {
            ([0], [1], 0, 3, "empty"),
            ([1], [1], 2, 3, "one element"),
            ([257], [1], 0, 257, "contiguous"),
            ([65537], [1], 0, 65537, "long contiguous"),
            ([100], [3], 1, 300, "stride 3"),
            ([7, 5], [1, 7], 0, 35, "transpose"),
            ([5, 7, 3], [1, 15, 5], 2, 110, "permuted rank 3"),
            ([4, 6], [0, 1], 1, 7, "broadcast rows"),
            ([4, 6], [1, 0], 0, 4, "broadcast columns"),
            ([3, 4, 5], [0, 0, 0], 5, 6, "broadcast scalar"),
            ([2, 3, 4, 5], [60, 1, 15, 3], 0, 120, "rank-4 permutation"),
            ([2, 1, 3, 1, 2, 1, 2, 2], [24, 5, 8, 7, 4, 3, 2, 1], 0, 48, "rank 8 with size-1 dims"),
            ([33, 65], [130, 2], 3, 33 * 130 + 3, "sliced stride-2 rows"),
            // tiled transposes: the source contiguous along a dimension other than the last, partial tiles
            ([37, 41], [1, 37], 2, 37 * 41 + 2, "transpose past one tile"),
            ([5, 3, 37, 2, 19], [37, 7030, 1, 3515, 185], 1, 21091, "rank-5 permute (the inverse STFT's)"),
            ([17, 3, 33], [1, 17 * 33, 17], 0, 17 * 3 * 33, "contiguous dimension first, batch between"),
        };
        foreach (var v in views)
        {
            var data = For(src, Rand.Normal(v.Len, v.Len));
            using var sb = Up(be, src, data);
            long n = RefKernels.Numel(v.Shape);
            using var db = be.Allocate(dst, (int)n + 3);
            be.Copy(new StridedOperand(sb, v.Offset, v.Strides), v.Shape, db, 3);
            var expect = new double[n + 3];
            RefKernels.Copy(data, v.Offset, v.Strides, v.Shape, expect, 3);
            var got = new double[n];
            be.Download(db, 3, got.AsSpan());
            Compare.AssertClose(For(dst, expect)[3..], got, 0, 0, $"copy {src}->{dst} {v.What}");
        }
    }
}

public class ReduceTests
{
    public static TheoryData<string, DType, ReduceOp> ReduceCases() => With(Enum.GetValues<ReduceOp>());

    [Theory, MemberData(nameof(ReduceCases))]
    public void ReduceMatchesReference(string backend, DType dt, ReduceOp op)
    {
        var be = TestBackends.Get(backend);
        foreach (var (o, n, i) in new[] { (1, 1, 1), (3, 5, 7), (2, 33, 1), (1, 257, 1), (5, 1, 9), (7, 3, 129), (1, 40001, 1), (1, 70001, 1), (2, 33000, 1), (1, 33001, 3), (4, 0, 3) })
        {
            var x = For(dt, Rand.Normal(o * n * i, o + n + i));
            using var xb = Up(be, dt, x);
            using var yb = be.Allocate(dt, o * i);
            be.Reduce(op, xb, yb, o, n, i);
            var expect = new double[o * i];
            RefKernels.Reduce(op, x, expect, o, n, i);
            Compare.AssertClose(For(dt, expect), Down(be, yb), dt == DType.Float32 ? 1e-6 : 1e-12, Rtol(dt, 1e-5, 1e-12), $"{op} {dt} [{o},{n},{i}]");
        }
    }
}
