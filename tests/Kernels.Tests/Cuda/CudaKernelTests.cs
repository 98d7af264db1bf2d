using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>The CUDA elementwise, reduction, copy, fill and random kernels against the reference twins, in float32 and
/// float64, at odd sizes, in forward and shuffled thread order (the order matters on the simulator only).</summary>
public class CudaKernelTests
{
    private static readonly int[] Sizes = [1, 31, 1025, 65537];
    private static readonly string[] Orders = ["forward", "shuffle"];

    private static CudaBackend Backend(string order)
    {
        var be = CudaTestEnvironment.Get();
        if (order != "forward") Assert.SkipUnless(be.IsSimulator, "thread order can be changed on the simulator only");
        CudaTestEnvironment.SetOrder(be, CudaTestEnvironment.ParseOrder(order));
        return be;
    }

    private static (double Atol, double Rtol) Tol(DType t) => t == DType.Float32 ? (1e-6, 2e-6) : (1e-13, 1e-12);

    public static TheoryData<UnaryOp, string> UnaryCases()
    {
        var d = new TheoryData<UnaryOp, string>();
        foreach (var op in Enum.GetValues<UnaryOp>()) foreach (var o in Orders) d.Add(op, o);
        return d;
    }

    private static double[] Inputs(UnaryOp op, int n, int seed) => op switch
    {
        UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Pow => Rand.Uniform(n, seed, 0.05, 4),
        UnaryOp.RDivScalar => Rand.Uniform(n, seed, 0.5, 3),
        _ => Rand.Normal(n, seed, 2),
    };

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary(UnaryOp op, string order)
    {
        var be = Backend(order);
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in Sizes)
            {
                var x = Inputs(op, n, n + 7);
                if (t == DType.Float32) x = Rand.AsFloat(x);
                double a = op switch { UnaryOp.Clamp => -0.5, UnaryOp.Pow => 1.7, _ => 0.3 }, b = 0.75;
                if (t == DType.Float32)
                {
                    a = (float)a;
                    b = (float)b;
                }
                var want = new double[n];
                RefKernels.Unary(op, x, want, n, a, b);
                using var xb = TestBackends.Upload(be, t, x);
                using var yb = be.Allocate(t, n);
                be.Unary(op, xb, yb, n, a, b);
                var (atol, rtol) = Tol(t);
                if (t == DType.Float32 && op is UnaryOp.Exp or UnaryOp.Pow or UnaryOp.Tanh or UnaryOp.Sigmoid or UnaryOp.Sin or UnaryOp.Cos or UnaryOp.Log)
                    rtol = 4e-6;
                Compare.AssertClose(want, TestBackends.Download(be, yb), atol, rtol, $"{CudaKernelNames.Unary(op, t)} n={n} {order}");
            }
    }

    public static TheoryData<BinaryOp, string> BinaryCases()
    {
        var d = new TheoryData<BinaryOp, string>();
        foreach (var op in Enum.GetValues<BinaryOp>()) foreach (var o in Orders) d.Add(op, o);
        return d;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary(BinaryOp op, string order)
    {
        var be = Backend(order);
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in Sizes)
            {
                // contiguous [n] with [n], then a broadcast [rows, n/rows] with a column vector, then a transposed view
                Run(be, t, op, [n], [1], [1], n, n, order);
                if (n > 31)
                {
                    int rows = 7, cols = n / rows;
                    Run(be, t, op, [rows, cols], [cols, 1], [1, 0], rows * cols, rows, order);
                    Run(be, t, op, [cols, rows], [1, cols], [0, 1], rows * cols, rows, order);
                }
            }
    }

    private static void Run(CudaBackend be, DType t, BinaryOp op, int[] shape, int[] sa, int[] sb, int na, int nb, string order)
    {
        bool positive = op == BinaryOp.Pow;
        var a = positive ? Rand.Uniform(na, na + 1, 0.1, 3) : Rand.Normal(na, na + 1);
        var b = op == BinaryOp.Div ? Rand.Uniform(nb, nb + 2, 0.5, 2) : Rand.Normal(nb, nb + 2);
        if (op is BinaryOp.Eq or BinaryOp.Ge) for (int i = 0; i < Math.Min(na, nb); i += 3) b[i] = a[i];
        if (t == DType.Float32)
        {
            a = Rand.AsFloat(a);
            b = Rand.AsFloat(b);
        }
        double p0 = op == BinaryOp.ClampBwd ? -0.5 : 0.2, p1 = 0.5;
        long n = RefKernels.Numel(shape);
        var want = new double[n];
        RefKernels.Binary(op, a, 0, sa, b, 0, sb, want, shape, p0, p1);
        using var ab = TestBackends.Upload(be, t, a);
        using var bb = TestBackends.Upload(be, t, b);
        using var yb = be.Allocate(t, (int)n);
        be.Binary(op, new StridedOperand(ab, 0, sa), new StridedOperand(bb, 0, sb), yb, shape, p0, p1);
        var (atol, rtol) = Tol(t);
        if (op == BinaryOp.Pow && t == DType.Float32) rtol = 4e-6;
        Compare.AssertClose(want, TestBackends.Download(be, yb), atol, rtol,
            $"{CudaKernelNames.Binary(op, t)} shape [{string.Join(',', shape)}] {order}");
    }

    public static TheoryData<ReduceOp, string> ReduceCases()
    {
        var d = new TheoryData<ReduceOp, string>();
        foreach (var op in Enum.GetValues<ReduceOp>()) foreach (var o in Orders) d.Add(op, o);
        return d;
    }

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void Reduce(ReduceOp op, string order)
    {
        var be = Backend(order);
        (int Outer, int N, int Inner)[] shapes = [(1, 1, 1), (1, 31, 1), (1, 1025, 1), (1, 65537, 1), (3, 1025, 1), (31, 33, 1), (2, 1025, 31), (1, 31, 1025), (4, 0, 1)];
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (var (outer, n, inner) in shapes)
            {
                var x = Rand.Normal(outer * n * inner, outer + n + inner);
                if (t == DType.Float32) x = Rand.AsFloat(x);
                var want = new double[outer * inner];
                RefKernels.Reduce(op, x, want, outer, n, inner);
                using var xb = TestBackends.Upload(be, t, x);
                using var yb = be.Allocate(t, outer * inner);
                be.Reduce(op, xb, yb, outer, n, inner);
                var (atol, rtol) = Tol(t);
                Compare.AssertClose(want, TestBackends.Download(be, yb), atol * 10, rtol, $"{CudaKernelNames.Reduce(op, t)} [{outer},{n},{inner}] {order}");
            }
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("shuffle")]
    public void CopyFillArange(string order)
    {
        var be = Backend(order);
        foreach (int n in Sizes)
            foreach (var src in new[] { DType.Float32, DType.Float64 })
                foreach (var dst in new[] { DType.Float32, DType.Float64 })
                {
                    var x = Rand.AsFloat(Rand.Normal(n + 5, n));
                    using var xb = TestBackends.Upload(be, src, x);
                    // contiguous slice from offset 3
                    var want = new double[n];
                    RefKernels.Copy(x, 3, [1], [n - 2 > 0 ? n - 2 : 1], want, 0);
                    int m = Math.Max(1, n - 2);
                    using var yb = be.Allocate(dst, n);
                    be.Copy(new StridedOperand(xb, 3, [1]), [m], yb, 0);
                    Compare.AssertClose(want.AsSpan(0, m), TestBackends.Download(be, yb).AsSpan(0, m), 0, 0, $"{CudaKernelNames.Copy(src, dst)} n={n}");
                    // transpose of a [r, c] view into [c, r], and a broadcast row
                    if (n >= 31)
                    {
                        int r = 5, c = n / 5;
                        var tw = new double[r * c];
                        RefKernels.Copy(x, 1, [1, c], [c, r], tw, 0);
                        be.Copy(new StridedOperand(xb, 1, [1, c]), [c, r], yb, 0);
                        Compare.AssertClose(tw, TestBackends.Download(be, yb, r * c), 0, 0, $"{CudaKernelNames.Copy(src, dst)} transpose n={n}");
                        var bw = new double[4 * c];
                        RefKernels.Copy(x, 0, [0, 1], [4, c], bw, 0);
                        be.Copy(new StridedOperand(xb, 0, [0, 1]), [4, c], yb, 0);
                        Compare.AssertClose(bw, TestBackends.Download(be, yb, 4 * c), 0, 0, $"{CudaKernelNames.Copy(src, dst)} broadcast n={n}");
                    }
                }
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in Sizes)
            {
                using var yb = be.Allocate(t, n + 2);
                be.Fill(yb, 0, n + 2, -1);
                be.Fill(yb, 1, n, 2.5);
                var want = new double[n + 2];
                RefKernels.Fill(want, 0, n + 2, -1);
                RefKernels.Fill(want, 1, n, 2.5);
                Compare.AssertClose(want, TestBackends.Download(be, yb), 0, 0, $"{CudaKernelNames.Fill(t)} n={n}");
                be.Arange(yb, n, 0.5, 0.25);
                var aw = new double[n];
                RefKernels.Arange(aw, n, 0.5, 0.25);
                Compare.AssertClose(aw, TestBackends.Download(be, yb, n), 0, t == DType.Float32 ? 1e-7 : 0, $"{CudaKernelNames.Arange(t)} n={n}");
            }
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("shuffle")]
    public void RandomMatchesThePhiloxStream(string order)
    {
        var be = Backend(order);
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in Sizes)
                foreach (ulong offset in new ulong[] { 0, 3, 1ul << 33 })
                {
                    ulong seed = 0x1234_5678_9abc_def0ul + (ulong)n;
                    using var yb = be.Allocate(t, n);
                    var (atol, rtol) = t == DType.Float32 ? (0.0, 1e-7) : (1e-15, 1e-14);
                    var want = new double[n];
                    RefKernels.RandomUniform(want, n, seed, offset, -1, 3);
                    if (t == DType.Float32) want = Rand.AsFloat(want);
                    be.RandomUniform(yb, n, seed, offset, -1, 3);
                    Compare.AssertClose(want, TestBackends.Download(be, yb), atol, rtol, $"{CudaKernelNames.RandomUniform(t)} n={n} offset={offset}");
                    RefKernels.RandomNormal(want, n, seed, offset, 0.5, 2);
                    if (t == DType.Float32) want = Rand.AsFloat(want);
                    be.RandomNormal(yb, n, seed, offset, 0.5, 2);
                    Compare.AssertClose(want, TestBackends.Download(be, yb), Math.Max(atol, 1e-14), t == DType.Float32 ? 1e-7 : 1e-13,
                        $"{CudaKernelNames.RandomNormal(t)} n={n} offset={offset}");
                }
    }
}
