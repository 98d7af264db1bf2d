using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests;

public class RandomTests
{
    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void UniformMatchesReference(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var (n, off) in new[] { (0, 0UL), (1, 3UL), (257, 5UL), (40000, 1UL << 33) })
        {
            using var b = be.Allocate(dt, n);
            be.RandomUniform(b, n, 1234, off, -1, 3);
            var expect = new double[n];
            RefKernels.RandomUniform(expect, n, 1234, off, -1, 3);
            Compare.AssertClose(For(dt, expect), Down(be, b), 0, Rtol(dt, 1e-7, 1e-15), $"uniform n={n} offset={off}");
        }
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void NormalMatchesReference(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        foreach (var (n, off) in new[] { (0, 0UL), (1, 2UL), (257, 7UL), (40000, 99UL) })
        {
            using var b = be.Allocate(dt, n);
            be.RandomNormal(b, n, 77, off, 0.5, 2);
            var expect = new double[n];
            RefKernels.RandomNormal(expect, n, 77, off, 0.5, 2);
            Compare.AssertClose(For(dt, expect), Down(be, b), 1e-6, Rtol(dt, 1e-6, 1e-12), $"normal n={n} offset={off}");
        }
    }

    [Theory, MemberData(nameof(Cases.BackendsAndDTypes), MemberType = typeof(Cases))]
    public void SamplesHaveSaneMoments(string backend, DType dt)
    {
        var be = TestBackends.Get(backend);
        const int n = 100_000;
        using var u = be.Allocate(dt, n);
        using var z = be.Allocate(dt, n);
        be.RandomUniform(u, n, 42, 0, -1, 1);
        be.RandomNormal(z, n, 43, 0, 3, 2);
        var us = Down(be, u);
        var zs = Down(be, z);
        Assert.All(us, v => Assert.InRange(v, -1, 1));
        Assert.True(us.Max() < 1);
        Assert.InRange(us.Average(), -0.01, 0.01);
        Assert.InRange(Std(us), Math.Sqrt(1 / 3.0) - 0.01, Math.Sqrt(1 / 3.0) + 0.01);
        Assert.InRange(zs.Average(), 3 - 0.03, 3 + 0.03);
        Assert.InRange(Std(zs), 2 - 0.03, 2 + 0.03);
        // different offsets give different streams, same offset the same stream
        using var z2 = be.Allocate(dt, 10);
        be.RandomNormal(z2, 10, 43, 5, 3, 2);
        Assert.Equal(zs.AsSpan(5, 10).ToArray(), Down(be, z2));
    }

    private static double Std(double[] a)
    {
        double m = a.Average();
        return Math.Sqrt(a.Sum(v => (v - m) * (v - m)) / a.Length);
    }
}
