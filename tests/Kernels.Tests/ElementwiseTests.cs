using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

public class ElementwiseTests
{
    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void FillMatchesReference(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (int n in new[] { 0, 1, 17, 1025 })
        {
            using var buf = Up(be, dt, Rand.Normal(n + 7, n));
            var expect = For(dt, Rand.Normal(n + 7, n));
            be.Fill(buf, 3, n, 1.25);
            RefKernels.Fill(expect, 3, n, 1.25);
            Compare.AssertClose(expect, Down(be, buf), 0, 0, $"fill n={n}");
        }
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void ArangeMatchesReference(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (int n in new[] { 0, 1, 33, 4099 })
        {
            using var buf = be.Allocate(dt, n);
            var expect = new double[n];
            be.Arange(buf, n, -3.5, 0.25);
            RefKernels.Arange(expect, n, -3.5, 0.25);
            Compare.AssertClose(For(dt, expect), Down(be, buf), 0, Rtol(dt, 1e-7, 0), $"arange n={n}");
        }
    }

    public static TheoryData<string, DType, UnaryOp> UnaryCases() => With(Enum.GetValues<UnaryOp>());

    /// <summary>Inputs inside each op's domain (positive for Log/Sqrt/Pow, away from 0 for RDiv).</summary>
    private static double[] UnaryInput(UnaryOp op, int n, int seed) => op switch
    {
        UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Pow => Rand.Uniform(n, seed, 0.05, 10),
        UnaryOp.Exp => Rand.Uniform(n, seed, -8, 8),
        UnaryOp.RDivScalar => Array.ConvertAll(Rand.Uniform(n, seed, 0.25, 4), v => (seed + (int)(v * 1000)) % 2 == 0 ? v : -v),
        UnaryOp.Sin or UnaryOp.Cos => Rand.Uniform(n, seed, -6, 6),
        _ => Rand.Normal(n, seed, 2),
    };

    private static (double A, double B) UnaryParams(UnaryOp op) => op switch
    {
        UnaryOp.LeakyRelu => (0.2, 0),
        UnaryOp.Pow => (2.5, 0),
        UnaryOp.Clamp => (-0.75, 1.5),
        UnaryOp.AddScalar => (0.625, 0),
        UnaryOp.MulScalar => (-1.75, 0),
        UnaryOp.RSubScalar => (3.0, 0),
        UnaryOp.RDivScalar => (2.0, 0),
        UnaryOp.MaximumScalar => (0.25, 0),
        UnaryOp.MinimumScalar => (-0.25, 0),
        _ => (0, 0),
    };

    [Theory, MemberData(nameof(UnaryCases))]
    public void UnaryMatchesReferenceForEveryLength(string backend, DType dt, UnaryOp op)
    {
        var be = TestBackends.Get(backend);
        var (pa, pb) = UnaryParams(op);
        foreach (int n in Rand.Lengths())
        {
            var x = For(dt, UnaryInput(op, n, 1000 + n));
            using var xb = Up(be, dt, x);
            using var yb = be.Allocate(dt, n);
            be.Unary(op, xb, yb, n, pa, pb);
            var expect = new double[n];
            RefKernels.Unary(op, x, expect, n, pa, pb);
            Compare.AssertClose(expect, Down(be, yb), dt == DType.Float32 ? 1e-6 : 1e-14, Rtol(dt), $"{op} {dt} n={n}");
        }
    }

    public static TheoryData<string, DType, BinaryOp> BinaryCases() => With(Enum.GetValues<BinaryOp>());

    private static double[] BinaryInputA(BinaryOp op, int n, int seed) => op switch
    {
        BinaryOp.Pow => Rand.Uniform(n, seed, 0.1, 4),
        BinaryOp.TanhBwd or BinaryOp.SigmoidBwd => Rand.Uniform(n, seed, -1, 1),
        BinaryOp.Eq or BinaryOp.Gt or BinaryOp.Ge => Array.ConvertAll(Rand.Uniform(n, seed, -2, 2), v => Math.Round(v * 2) / 2),
        _ => Rand.Normal(n, seed),
    };

    private static double[] BinaryInputB(BinaryOp op, int n, int seed) => op switch
    {
        BinaryOp.Div => Array.ConvertAll(Rand.Uniform(n, seed, 0.3, 3), v => ((int)(v * 977)) % 2 == 0 ? v : -v),
        BinaryOp.Pow => Rand.Uniform(n, seed, -2, 2),
        BinaryOp.Eq or BinaryOp.Gt or BinaryOp.Ge => Array.ConvertAll(Rand.Uniform(n, seed, -2, 2), v => Math.Round(v * 2) / 2),
        _ => Rand.Normal(n, seed),
    };

    private static void CheckBinary(IBackend be, DType dt, BinaryOp op, int[] shape, int aLen, int aOff, int[] aStr, int bLen, int bOff, int[] bStr, string what)
    {
        var a = For(dt, BinaryInputA(op, aLen, aLen * 7 + 1));
        var b = For(dt, BinaryInputB(op, bLen, bLen * 13 + 2));
        long n = RefKernels.Numel(shape);
        using var ab = Up(be, dt, a);
        using var bb = Up(be, dt, b);
        using var yb = be.Allocate(dt, (int)n);
        double p0 = op == BinaryOp.ClampBwd ? -0.5 : 0.2, p1 = 0.5;
        be.Binary(op, new StridedOperand(ab, aOff, aStr), new StridedOperand(bb, bOff, bStr), yb, shape, p0, p1);
        var expect = new double[n];
        RefKernels.Binary(op, a, aOff, aStr, b, bOff, bStr, expect, shape, p0, p1);
        Compare.AssertClose(expect, Down(be, yb), dt == DType.Float32 ? 1e-6 : 1e-14, Rtol(dt), $"{op} {dt} {what}");
    }

    [Theory, MemberData(nameof(BinaryCases))]
    public void BinaryMatchesReference(string backend, DType dt, BinaryOp op)
    {
        var be = TestBackends.Get(backend);
        foreach (int n in Rand.Lengths())
            CheckBinary(be, dt, op, [n], n, 0, [1], n, 0, [1], $"same shape n={n}");
        foreach (var (r, c) in new[] { (1, 1), (3, 5), (7, 33), (17, 64), (5, 257), (1000, 3) })
        {
            CheckBinary(be, dt, op, [r, c], r * c, 0, [c, 1], c, 0, [0, 1], $"[{r},{c}] op row-broadcast");
            CheckBinary(be, dt, op, [r, c], r, 0, [1, 0], r * c, 0, [c, 1], $"[{r},{c}] column-broadcast op");
            CheckBinary(be, dt, op, [r, c], r * c, 0, [c, 1], 3, 2, [0, 0], $"[{r},{c}] op scalar");
            CheckBinary(be, dt, op, [r, c], r * c + 5, 5, [1, r], r * (c + 1) + 1, 1, [c + 1, 1], $"[{r},{c}] transposed op padded rows");
            CheckBinary(be, dt, op, [r, c], 2 * r * c, 1, [2 * c, 2], 2 * r * c + 1, 0, [2, 2 * r], $"[{r},{c}] stride-2 views");
        }
        CheckBinary(be, dt, op, [2, 3, 4, 5], 120, 0, [60, 20, 5, 1], 20, 0, [0, 5, 0, 1], "rank-4 mixed broadcast");
        CheckBinary(be, dt, op, [0, 4], 0, 0, [4, 1], 4, 0, [0, 1], "empty");
    }
}
