using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;
using GanAudio.Kernels.Reference;
using GanAudio.Kernels.Tests.Harness;
using static GanAudio.Kernels.Tests.Harness.Cases;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>conv1d through cuDNN (forward, backward-data, backward-weight as height-1 2-D convolutions) against the
/// reference, and the choice between cuDNN and the im2col + cuBLAS fallback. Without cuDNN (always on the simulator) the
/// cuDNN rows report skipped with the reason, never passed; the fallback rows run everywhere.</summary>
public class CudnnConvTests
{
    /// <summary>Odd geometries cuDNN expresses exactly (its output length from LIn is LOut): stride 1 and above the
    /// kernel, kernel 1, padding above half the kernel, a single output, WaveGAN's kernel 25 / stride 4 / padding 11.</summary>
    public static readonly Conv1dGeometry[] Odd =
    [
        new(2, 3, 4, 37, 37, 3, 1, 1),
        new(1, 5, 7, 40, 18, 5, 2, 0),
        new(3, 4, 2, 50, 17, 4, 3, 2),
        new(2, 3, 5, 34, 7, 3, 5, 0),
        new(2, 6, 3, 29, 29, 1, 1, 0),
        new(1, 2, 2, 1, 1, 9, 2, 4),
        new(2, 17, 40, 70, 70, 3, 1, 1),
        new(3, 13, 14, 256, 64, 25, 4, 11),
        new(2, 5, 13, 1024, 256, 25, 4, 11),
    ];

    /// <summary>The cuDNN rows' geometries are valid and ones cuDNN expresses (checked everywhere, so a bad row shows
    /// up without a GPU).</summary>
    [Fact]
    public void OddGeometriesAreValidAndExpressible()
    {
        foreach (var g in Odd)
        {
            g.Validate();
            Assert.True(g.LOut == Conv1dGeometry.OutputLength(g.LIn, g.Kernel, g.Stride, g.Padding), $"{g}: cuDNN's output length differs");
        }
    }

    private static CudaBackend CudnnBackend()
    {
        var be = CudaTestEnvironment.Get();
        Assert.SkipUnless(be.ConvolutionPath == "cudnn", "cuDNN not available: " + be.ConvolutionPathReason);
        return be;
    }

    public static TheoryData<DType, string> DTypesAndDirections()
    {
        var d = new TheoryData<DType, string>();
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (var dir in new[] { "forward", "backward-data", "backward-weight" })
                d.Add(t, dir);
        return d;
    }

    /// <summary>Full fp32 (CUDNN_FMA_MATH) and float64: the reference's tolerances, and every call counted as a cuDNN one
    /// (so the test cannot pass through the fallback).</summary>
    [Theory, MemberData(nameof(DTypesAndDirections))]
    [Trait("Requires", "gpu")]
    public void CudnnMatchesReference(DType dt, string direction)
    {
        var be = CudnnBackend();
        var saved = be.Precision;
        be.Precision = MathPrecision.Fp32;
        try
        {
            foreach (var g in Odd)
            {
                Assert.True(g.LOut == Conv1dGeometry.OutputLength(g.LIn, g.Kernel, g.Stride, g.Padding), $"{g} is not one cuDNN expresses");
                long before = be.CudnnConvolutions;
                _ = direction switch
                {
                    "forward" => ConvTests.CheckForward(be, dt, g, bias: true, seed: 21),
                    "backward-data" => ConvTests.CheckBackwardData(be, dt, g, seed: 22),
                    _ => ConvTests.CheckBackwardWeight(be, dt, g, seed: 23),
                };
                Assert.Equal(before + 1, be.CudnnConvolutions);
            }
        }
        finally
        {
            be.Precision = saved;
        }
    }

    /// <summary>With TF32 allowed (sm_80+), float32 results stay within TF32's rounding of the reference: inputs rounded to
    /// an 11-bit significand (relative 2^−11 each), so |error| ≲ 2·2^−11·Σ|x·w|; checked against 3e-3·√terms·scale.</summary>
    [Theory]
    [InlineData("forward")]
    [InlineData("backward-data")]
    [InlineData("backward-weight")]
    [Trait("Requires", "gpu")]
    public void CudnnTf32IsWithinTf32Rounding(string direction)
    {
        var be = CudnnBackend();
        var saved = be.Precision;
        be.Precision = MathPrecision.Tf32;
        try
        {
            foreach (var g in Odd)
            {
                var (expect, got, terms) = Run(be, g, direction, seed: 31);
                double atol = 3e-3 * Math.Sqrt(terms);
                for (int i = 0; i < expect.Length; i++)
                    Assert.True(Math.Abs(expect[i] - got[i]) <= atol + 3e-3 * Math.Abs(expect[i]),
                        $"conv1d {direction} tf32 {g}: [{i}] {got[i]} vs {expect[i]} (atol {atol:g3})");
            }
        }
        finally
        {
            be.Precision = saved;
        }
    }

    private static (double[] Expect, double[] Got, int Terms) Run(CudaBackend be, Conv1dGeometry g, string direction, int seed)
    {
        const DType dt = DType.Float32;
        var a = For(dt, Rand.Normal(direction == "backward-data" ? g.Batch * g.COut * g.LOut : g.Batch * g.CIn * g.LIn, seed));
        var b = For(dt, direction == "backward-weight" ? Rand.Normal(g.Batch * g.COut * g.LOut, seed + 1) : Rand.Normal(g.COut * g.CIn * g.Kernel, seed + 1, 0.3));
        int outLen = direction switch
        {
            "forward" => g.Batch * g.COut * g.LOut,
            "backward-data" => g.Batch * g.CIn * g.LIn,
            _ => g.COut * g.CIn * g.Kernel,
        };
        using var ab = Up(be, dt, a);
        using var bb = Up(be, dt, b);
        using var ob = Up(be, dt, new double[outLen]);
        var expect = new double[outLen];
        switch (direction)
        {
            case "forward":
                be.Conv1dForward(g, ab, bb, null, ob);
                RefKernels.Conv1dForward(g, a, b, null, expect);
                return (expect, Down(be, ob), g.CIn * g.Kernel);
            case "backward-data":
                be.Conv1dBackwardData(g, ab, bb, ob);
                RefKernels.Conv1dBackwardData(g, a, b, expect);
                return (expect, Down(be, ob), g.COut * g.Kernel);
            default:
                be.Conv1dBackwardWeight(g, ab, bb, ob);
                RefKernels.Conv1dBackwardWeight(g, a, b, expect);
                return (expect, Down(be, ob), g.Batch * g.LOut);
        }
    }

    /// <summary>Without cuDNN (the simulator, a machine without the library) or with it disabled, the path says im2col,
    /// says why, and conv1d still matches the reference without a cuDNN call.</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void FallbackIsChosenAndVisibleWithoutCudnn(DType dt)
    {
        var be = CudaTestEnvironment.Get();
        if (be.IsSimulator)
        {
            Assert.Equal("im2col", be.ConvolutionPath);
            Assert.Contains("simulator", be.ConvolutionPathReason);
        }
        bool saved = be.CudnnAllowed;
        be.CudnnAllowed = false;
        try
        {
            Assert.Equal("im2col", be.ConvolutionPath);
            Assert.Contains("disabled", be.ConvolutionPathReason);
            var g = Odd[2];
            long before = be.CudnnConvolutions;
            ConvTests.CheckForward(be, dt, g, bias: true, seed: 41);
            ConvTests.CheckBackwardData(be, dt, g, seed: 42);
            ConvTests.CheckBackwardWeight(be, dt, g, seed: 43);
            Assert.Equal(before, be.CudnnConvolutions);
        }
        finally
        {
            be.CudnnAllowed = saved;
        }
        if (be.IsSimulator) Assert.Equal("im2col", be.ConvolutionPath);
    }

    /// <summary>A conv-transpose's output padding leaves inputs no output reads (LIn longer than LOut needs): cuDNN cannot
    /// express it, so even with cuDNN the backend takes im2col and the result still matches.</summary>
    [Fact]
    public void GeometriesCudnnCannotExpressTakeIm2col()
    {
        var be = CudaTestEnvironment.Get();
        var g = new Conv1dGeometry(2, 2, 3, 30, 5, 7, 4, 3);  // cuDNN's length from LIn = 8, not 5
        long before = be.CudnnConvolutions;
        ConvTests.CheckBackwardData(be, DType.Float32, g, seed: 51);
        ConvTests.CheckForward(be, DType.Float32, g, bias: true, seed: 52);
        Assert.Equal(before, be.CudnnConvolutions);
    }

    private static CudnnAlgoPerf Perf(int algo, int status = 0, long memory = 0, int determinism = 1, int math = 0) =>
        new() { Algo = algo, Status = status, Memory = (nuint)memory, Determinism = determinism, MathType = math };

    /// <summary>The algorithm choice among the heuristic's answers: failed statuses and workspaces over the limit are
    /// skipped, tensor-core entries are refused under CUDNN_FMA_MATH, a deterministic one is preferred, −1 when none fits.</summary>
    [Fact]
    public void AlgorithmChoiceSkipsFailuresBigWorkspacesAndTensorOpsUnderFma()
    {
        const int fma = Cudnn.CUDNN_FMA_MATH, dflt = Cudnn.CUDNN_DEFAULT_MATH, top = Cudnn.CUDNN_TENSOR_OP_MATH;
        Assert.Equal(1, CudaBackend.ChooseAlgorithm([Perf(7, status: 3), Perf(2), Perf(5)], dflt, 1 << 20));
        Assert.Equal(1, CudaBackend.ChooseAlgorithm([Perf(7, memory: 2 << 20), Perf(2, memory: 1 << 20)], dflt, 1 << 20));
        Assert.Equal(1, CudaBackend.ChooseAlgorithm([Perf(1, math: top), Perf(0, math: fma)], fma, 1 << 20));
        Assert.Equal(0, CudaBackend.ChooseAlgorithm([Perf(1, math: top), Perf(0, math: fma)], dflt, 1 << 20));
        Assert.Equal(2, CudaBackend.ChooseAlgorithm([Perf(0, determinism: 0), Perf(3, status: 9), Perf(1)], dflt, 1 << 20));
        Assert.Equal(0, CudaBackend.ChooseAlgorithm([Perf(0, determinism: 0), Perf(3, determinism: 0)], dflt, 1 << 20));
        Assert.Equal(-1, CudaBackend.ChooseAlgorithm([Perf(0, status: 1), Perf(3, memory: 1L << 40)], dflt, 1 << 20));
        Assert.Equal(-1, CudaBackend.ChooseAlgorithm([], dflt, 1 << 20));
    }
}
