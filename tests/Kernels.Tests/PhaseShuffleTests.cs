using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

/// <summary>Phase shuffle forward and backward against the reference twin, bit for bit (both are copies or sums of two
/// terms from +0, so every backend must agree exactly), at odd sizes: lengths 1 and up, odd channel counts, shift radius
/// 0, 1, 2, shifts next to the length, more examples than one CUDA launch carries, and −0 / cancelling inputs.</summary>
[Collection(SerialCollection.Name)]
public class PhaseShuffleTests
{
    /// <summary>A case: [batch, channels, length] and one shift per example.</summary>
    public sealed record ShuffleCase(int Batch, int Channels, int Length, int[] Shifts)
    {
        public override string ToString() => $"[{Batch},{Channels},{Length}] shifts {string.Join(',', Shifts.Take(8))}{(Shifts.Length > 8 ? ",…" : "")}";
    }

    public static IEnumerable<ShuffleCase> All()
    {
        yield return new(1, 1, 1, [0]);
        yield return new(3, 1, 2, [-1, 0, 1]);
        yield return new(2, 3, 3, [2, -2]);
        yield return new(5, 3, 5, [-2, -1, 0, 1, 2]);
        yield return new(4, 5, 5, [4, -4, 3, -3]);            // |s| = L − 1 and L − 2: the reflection covers most of the row
        yield return new(2, 1, 8, [7, -7]);
        yield return new(3, 7, 31, [1, -1, 0]);
        yield return new(4, 3, 33, [2, -2, 2, 1]);
        yield return new(2, 5, 257, [-2, 2]);
        yield return new(3, 3, 1025, [1, -2, 0]);
        yield return new(2, 1, 1025, [1000, -1024]);
        var r = new Random(3);
        var many = new int[53];                                  // more than one launch's chunk (48) on CUDA
        for (int i = 0; i < many.Length; i++) many[i] = r.Next(-6, 7);
        yield return new(53, 3, 7, many);
        var wide = new int[6];
        for (int i = 0; i < wide.Length; i++) wide[i] = r.Next(-2, 3);
        yield return new(6, 17, 129, wide);
    }

    public static TheoryData<string, DType> Rows() => BackendsAndDTypes();

    /// <summary>Seeded inputs with some −0, some +0 and some pairs that cancel exactly (so x + (−x) = +0 is exercised).</summary>
    internal static double[] Inputs(DType dt, int n, int seed)
    {
        var x = For(dt, Rand.Normal(n, seed));
        for (int i = 0; i < n; i += 5) x[i] = -0.0;
        for (int i = 2; i < n; i += 11) x[i] = 0.0;
        for (int i = 3; i + 1 < n; i += 7) x[i + 1] = -x[i];
        return x;
    }

    internal static (double[] Want, double[] Got) Run(IBackend be, DType dt, ShuffleCase c, bool backward, int seed = 1)
    {
        int n = c.Batch * c.Channels * c.Length;
        var x = Inputs(dt, n, seed + n);
        var want = new double[n];
        if (backward) RefKernels.PhaseShuffleBackward(x, c.Shifts, want, c.Batch, c.Channels, c.Length);
        else RefKernels.PhaseShuffleForward(x, c.Shifts, want, c.Batch, c.Channels, c.Length);
        using var xb = Up(be, dt, x);
        using var yb = be.Allocate(dt, n);
        be.Fill(yb, 0, n, double.NaN);
        if (backward) be.PhaseShuffleBackward(xb, c.Shifts, yb, c.Batch, c.Channels, c.Length);
        else be.PhaseShuffleForward(xb, c.Shifts, yb, c.Batch, c.Channels, c.Length);
        if (dt == DType.Float32)
            for (int i = 0; i < n; i++) want[i] = (float)want[i];
        return (want, Down(be, yb));
    }

    internal static void AssertBitwise(double[] want, double[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        var bad = new List<string>();
        for (int i = 0; i < want.Length; i++)
            if (BitConverter.DoubleToInt64Bits(want[i]) != BitConverter.DoubleToInt64Bits(got[i]) && bad.Count < 8)
                bad.Add($"[{i}] want {want[i]:R} got {got[i]:R}");
        Assert.True(bad.Count == 0, $"{what}: mismatches {string.Join("; ", bad)}");
    }

    [Theory, MemberData(nameof(Rows))]
    public void ForwardMatchesTheReferenceBitwise(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var c in All())
        {
            var (want, got) = Run(be, dt, c, backward: false);
            AssertBitwise(want, got, $"{backend} {dt} fwd {c}");
        }
    }

    [Theory, MemberData(nameof(Rows))]
    public void BackwardMatchesTheReferenceBitwise(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var c in All())
        {
            var (want, got) = Run(be, dt, c, backward: true);
            AssertBitwise(want, got, $"{backend} {dt} bwd {c}");
        }
    }

    /// <summary>⟨y, fwd(x)⟩ = ⟨bwd(y), x⟩: the backward is the adjoint (checked in float64 on a case with reflection).</summary>
    [Theory, MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void BackwardIsTheAdjoint(string backend)
    {
        var be = TestBackends.Get(backend);
        var c = new ShuffleCase(3, 2, 9, [3, -2, 8]);
        int n = 3 * 2 * 9;
        var x = Rand.Normal(n, 4);
        var y = Rand.Normal(n, 5);
        using var xb = Up(be, DType.Float64, x);
        using var yb = Up(be, DType.Float64, y);
        using var fx = be.Allocate(DType.Float64, n);
        using var by = be.Allocate(DType.Float64, n);
        be.PhaseShuffleForward(xb, c.Shifts, fx, c.Batch, c.Channels, c.Length);
        be.PhaseShuffleBackward(yb, c.Shifts, by, c.Batch, c.Channels, c.Length);
        var f = Down(be, fx);
        var b = Down(be, by);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < n; i++)
        {
            lhs += y[i] * f[i];
            rhs += b[i] * x[i];
        }
        Assert.Equal(lhs, rhs, 1e-12);
    }

    [Theory, MemberData(nameof(Rows))]
    public void IsBitwiseIdenticalAcrossThreadCounts(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        var c = new ShuffleCase(16, 9, 1031, [2, -2, 1, 0, -1, 2, 2, -2, 1, 1, 0, -1, -2, 2, 0, 1]);
        DeterminismTests.SameWithOneAndTwoThreads(() => Run(be, dt, c, backward: false).Got, "phase shuffle fwd");
        DeterminismTests.SameWithOneAndTwoThreads(() => Run(be, dt, c, backward: true).Got, "phase shuffle bwd");
    }

    [Theory, MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void RejectsShiftsAsLongAsTheRowAndWrongCounts(string backend)
    {
        var be = TestBackends.Get(backend);
        using var a = be.Allocate(DType.Float32, 2 * 3 * 4);
        using var b = be.Allocate(DType.Float32, 2 * 3 * 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => be.PhaseShuffleForward(a, [4, 0], b, 2, 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => be.PhaseShuffleBackward(a, [0, -4], b, 2, 3, 4));
        Assert.Throws<ArgumentException>(() => be.PhaseShuffleForward(a, [1], b, 2, 3, 4));
        using var c = be.Allocate(DType.Float64, 2 * 3 * 4);
        Assert.Throws<ArgumentException>(() => be.PhaseShuffleForward(a, [1, 1], c, 2, 3, 4));
    }
}
