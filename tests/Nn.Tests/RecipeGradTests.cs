using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using static GanAudio.Nn.Tests.TestSupport;

namespace GanAudio.Nn.Tests;

/// <summary>The training recipe's pieces in Nn: the log power STFT layer (values against a direct DFT, float64 gradient
/// check, second order through an R1 penalty) and the R1 penalty itself.</summary>
public sealed class RecipeGradTests(ITestOutputHelper log)
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private const DType F64 = DType.Float64;

    /// <summary>log(|X[k, t]|² + ε) by a direct Hann-windowed DFT of the zero-padded, centred frame.</summary>
    private static double DirectLogPower(double[] x, int nFft, int hop, int k, int t, double eps)
    {
        double re = 0, im = 0;
        for (int n = 0; n < nFft; n++)
        {
            int i = t * hop + n - nFft / 2;
            double v = i >= 0 && i < x.Length ? x[i] : 0;
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft);
            re += w * v * Math.Cos(2 * Math.PI * k * n / nFft);
            im -= w * v * Math.Sin(2 * Math.PI * k * n / nFft);
        }
        return Math.Log(re * re + im * im + eps);
    }

    [Theory]
    [InlineData("cpu", 16, 4, 37)]
    [InlineData("cpu", 32, 8, 64)]
    [InlineData("cpu", 8, 3, 29)]
    [InlineData("cuda", 16, 4, 37)]
    [InlineData("cuda", 32, 8, 64)]
    [InlineData("cuda", 8, 3, 29)]
    public void StftPowerMatchesADirectDft(string device, int nFft, int hop, int length)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var stft = new StftPower(nFft, hop, 1e-5, F64, device: dev);
        var x = Seeded([2, 1, length], 5, device: dev);
        var y = stft.Forward(x);
        int frames = stft.Frames(length);
        Assert.Equal(new[] { 2, nFft / 2 + 1, frames }, y.Shape);
        var xs = x.ToDoubleArray();
        var ys = y.ToDoubleArray();
        var expected = new double[ys.Length];
        for (int b = 0; b < 2; b++)
            for (int k = 0; k <= nFft / 2; k++)
                for (int t = 0; t < frames; t++)
                    expected[(b * (nFft / 2 + 1) + k) * frames + t] = DirectLogPower(xs[(b * length)..((b + 1) * length)], nFft, hop, k, t, 1e-5);
        AssertClose("StftPower", expected, ys, 1e-9, 1e-9, log);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void StftPowerInputGradient(string device)
    {
        var dev = DeviceRows.Get(device);
        using var stft = new StftPower(16, 4, 1e-3, F64, device: dev);
        using var x = Seeded([2, 1, 30], 6, device: dev).RequireGrad();
        GradCheck.Check("StftPower", () => GradCheck.Weighted(stft.Forward(x)), [("x", x)], log: log);
    }

    /// <summary>The inverse STFT undoes a Hann-windowed DFT of the centred frames (direct loops here) wherever the frames
    /// overlap fully, and its output is the windowed inverse DFT overlap-added, divided by the window overlap.</summary>
    [Theory]
    [InlineData("cpu", 16, 4, 40)]
    [InlineData("cpu", 32, 8, 96)]
    [InlineData("cpu", 12, 3, 33)]
    [InlineData("cuda", 16, 4, 40)]
    [InlineData("cuda", 12, 3, 33)]
    public void InverseStftUndoesTheDirectDft(string device, int nFft, int hop, int length)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        int bins = nFft / 2 + 1, frames = length / hop + 1; // centred frames, as StftPower.Frames
        var x = Seeded([1, 1, length], 9).ToDoubleArray();
        var spec = new double[2 * bins * frames];
        for (int t = 0; t < frames; t++)
            for (int k = 0; k < bins; k++)
                for (int n = 0; n < nFft; n++)
                {
                    int i = t * hop + n - nFft / 2;
                    double v = i >= 0 && i < length ? x[i] : 0;
                    double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nFft);
                    spec[k * frames + t] += w * v * Math.Cos(2 * Math.PI * k * n / nFft);
                    spec[(bins + k) * frames + t] -= w * v * Math.Sin(2 * Math.PI * k * n / nFft);
                }
        using var istft = new InverseStft(nFft, hop, nFft / 2, F64, dev);
        var y = istft.Forward(Tensor.FromArray(spec, [1, 2 * bins, frames], F64, dev)).ToDoubleArray();
        Assert.Equal(istft.OutputLength(frames), y.Length);
        // samples covered by nFft/hop frames: from nFft/2 after the first frame's start to the last frame's end − nFft/2
        int first = nFft / 2, last = Math.Min(length, (frames - 1) * hop) - nFft / 2;
        Assert.True(last - first > hop, "the test needs an interior");
        AssertClose("InverseStft interior", x[first..last], y[first..last], 1e-9, 1e-9, log);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void InverseStftInputGradient(string device)
    {
        var dev = DeviceRows.Get(device);
        using var istft = new InverseStft(16, 4, 6, F64, dev);
        using var x = Seeded([2, 18, 7], 10, device: dev).RequireGrad();
        GradCheck.Check("InverseStft", () => GradCheck.Weighted(istft.Forward(x)), [("x", x)], log: log);
    }

    /// <summary>d(R1)/d(critic parameters) through the double-backward graph, for a critic that starts with the STFT.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void R1PenaltySecondOrderThroughAnStftCritic(string device)
    {
        var dev = DeviceRows.Get(device);
        var g = new RandomStream(51);
        using var stft = new StftPower(8, 2, 1e-3, F64, device: dev);
        using var critic = new Sequential(new Conv1d(5, 3, 3, stride: 2, padding: 1, gen: g, dtype: F64, device: dev), new LeakyReLU(0.2),
            new Flatten(), new Linear(3 * 5, 1, gen: g, dtype: F64, device: dev));
        using var real = Seeded([3, 1, 18], 52, device: dev);
        GradCheck.Check("R1 (stft critic)", () => GanLosses.R1Penalty(x => critic.Forward(stft.Forward(x)), real, 2.0),
            [.. critic.NamedParameters()], maxPerTensor: 24, log: log, allowNoGradient: true);
    }

    /// <summary>For D(x) = w·x + b the input gradient is w, so R1 = γ/2·‖w‖².</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void R1PenaltyValueForALinearCritic(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var lin = new Linear(4, 1, gen: new RandomStream(53), dtype: F64, device: dev);
        var real = Seeded([5, 4], 54, device: dev);
        double sq = lin.Weight.ToDoubleArray().Sum(v => v * v);
        Assert.Equal(3.0 / 2 * sq, GanLosses.R1Penalty(lin.Forward, real, 3.0).Item(), 1e-12);
    }
}
