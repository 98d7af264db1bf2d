using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

/// <summary>Multi-tensor Adam (<see cref="IBackend.AdamStepMulti"/>) against the scalar reference and against per-tensor
/// <see cref="IBackend.AdamStep"/> (bitwise on the CPU).</summary>
public class AdamStepMultiTests
{
    /// <summary>Lengths of the tensors of one call: empty, one element, SIMD tails, a CUDA chunk boundary, and one long
    /// enough for several CPU chunks.</summary>
    private static readonly int[] Sizes = [1, 0, 31, 257, 7, 1, 2047, 2049, 4097, 1025, 3, 65537, 1];

    public static TheoryData<string, DType, bool> Variants() => AdamStepTests.Variants();

    private sealed class Set : IDisposable
    {
        public readonly List<double[][]> Host = new();  // per tensor: p, m, v, vmax
        public readonly List<DeviceBuffer[]> Dev = new();

        public Set(IBackend be, DType dt, int[] sizes, int seed)
        {
            foreach (int n in sizes)
            {
                var h = new[] { For(dt, Rand.Normal(n, seed + n)), new double[n], new double[n], new double[n] };
                Host.Add(h);
                Dev.Add(h.Select(a => Up(be, dt, a)).ToArray());
                seed += 17;
            }
        }

        public void Dispose()
        {
            foreach (var d in Dev)
                foreach (var b in d) b.Dispose();
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void MatchesReference(string backend, DType dt, bool amsgrad)
    {
        var be = TestBackends.Get(backend);
        using var s = new Set(be, dt, Sizes, 11);
        for (int step = 1; step <= 3; step++)
        {
            var grads = Sizes.Select((n, k) => For(dt, Rand.Normal(n, 1000 * step + 31 * k, 0.5))).ToArray();
            var gbufs = grads.Select(g => Up(be, dt, g)).ToArray();
            var a = AdamArgs.For(1e-2, 0.5, 0.9, 1e-8, 0.01, step);
            be.AdamStepMulti(Sizes.Select((n, k) => new AdamGroup(s.Dev[k][0], gbufs[k], s.Dev[k][1], s.Dev[k][2], amsgrad ? s.Dev[k][3] : null, n)).ToList(), a);
            RefKernels.AdamStepMulti(Sizes.Select((n, k) => new RefKernels.AdamRefGroup(s.Host[k][0], grads[k], s.Host[k][1], s.Host[k][2],
                amsgrad ? s.Host[k][3] : null, n)).ToList(), a);
            foreach (var g in gbufs) g.Dispose();
        }
        double rtol = dt == DType.Float32 ? 2e-5 : 1e-12, atol = dt == DType.Float32 ? 1e-6 : 1e-14;
        string[] slot = ["param", "m", "v", "vmax"];
        for (int k = 0; k < Sizes.Length; k++)
            for (int j = 0; j < (amsgrad ? 4 : 3); j++)
                Compare.AssertClose(s.Host[k][j], Down(be, s.Dev[k][j]), atol, rtol, $"adam multi {slot[j]} tensor {k} (n={Sizes[k]})");
    }

    /// <summary>One multi-tensor call leaves every tensor exactly as its own AdamStep call does (the CPU bitwise; on CUDA the
    /// two kernels share one formula, so the same to float rounding).</summary>
    [Theory, MemberData(nameof(Variants))]
    public void EqualsPerTensorSteps(string backend, DType dt, bool amsgrad)
    {
        var be = TestBackends.Get(backend);
        using var one = new Set(be, dt, Sizes, 5);
        using var many = new Set(be, dt, Sizes, 5);
        for (int step = 1; step <= 2; step++)
        {
            var gbufs = Sizes.Select((n, k) => Up(be, dt, For(dt, Rand.Normal(n, 77 * step + k)))).ToArray();
            var a = AdamArgs.For(3e-3, 0.9, 0.999, 1e-8, 0.1, step);
            for (int k = 0; k < Sizes.Length; k++)
                be.AdamStep(one.Dev[k][0], gbufs[k], one.Dev[k][1], one.Dev[k][2], amsgrad ? one.Dev[k][3] : null, Sizes[k], a);
            be.AdamStepMulti(Sizes.Select((n, k) => new AdamGroup(many.Dev[k][0], gbufs[k], many.Dev[k][1], many.Dev[k][2], amsgrad ? many.Dev[k][3] : null, n)).ToList(), a);
            foreach (var g in gbufs) g.Dispose();
        }
        for (int k = 0; k < Sizes.Length; k++)
            for (int j = 0; j < (amsgrad ? 4 : 3); j++)
            {
                var e = Down(be, one.Dev[k][j]);
                var got = Down(be, many.Dev[k][j]);
                if (backend == "cpu") Assert.Equal(e, got);
                else Compare.AssertClose(e, got, 0, dt == DType.Float32 ? 1e-6 : 1e-14, $"tensor {k} slot {j}");
            }
    }

    [Fact]
    public void RejectsMixedAmsGradAndDTypes()
    {
        var be = TestBackends.Get("cpu");
        using var a = Up(be, DType.Float32, new double[3]);
        using var b = Up(be, DType.Float64, new double[3]);
        var args = AdamArgs.For(1e-3, 0.9, 0.999, 1e-8, 0, 1);
        Assert.Throws<ArgumentException>(() => be.AdamStepMulti([new(a, a, a, a, a, 3), new(a, a, a, a, null, 3)], args));
        Assert.Throws<ArgumentException>(() => be.AdamStepMulti([new(a, a, a, a, null, 3), new(b, b, b, b, null, 3)], args));
        Assert.Throws<ArgumentOutOfRangeException>(() => be.AdamStepMulti([new(a, a, a, a, null, 4)], args));
    }
}
