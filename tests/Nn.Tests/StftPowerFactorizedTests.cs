using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Nn.Losses;
using GanAudio.Tensors;
using static GanAudio.Nn.Tests.TestSupport;

namespace GanAudio.Nn.Tests;

/// <summary>The log power spectrogram's factorized form (shifted copies for the frames, two matrix products) against
/// its dense form (a strided convolution with the full cosine and sine basis): the same values and input gradients in
/// float64 on lengths that are not multiples of the hop, float32 close to float64, and the second-order terms a
/// gradient penalty through a spectrogram critic needs.</summary>
public sealed class StftPowerFactorizedTests(ITestOutputHelper log)
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    public static TheoryData<string, int, int, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int, int, int>();
            foreach (var device in DeviceRows.Names)
            {
                data.Add(device, 1024, 256, 4103);   // a spectrogram critic at the demo generator's FFT
                data.Add(device, 256, 64, 1000);
                data.Add(device, 64, 32, 211);       // hop nFft/2
                data.Add(device, 16, 4, 37);         // the smallest factorized size, odd length
                data.Add(device, 32, 32, 100);       // hop = nFft
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FactorizedMatchesDenseWithGradients(string device, int nFft, int hop, int length)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var fast = new StftPower(nFft, hop, 1e-5, DType.Float64, dev, factorized: true);
        using var dense = new StftPower(nFft, hop, 1e-5, DType.Float64, dev, factorized: false);
        var x = Seeded([2, 1, length], 81, device: dev).RequireGrad();
        var upstream = Seeded([2, nFft / 2 + 1, fast.Frames(length)], 82, device: dev);
        var yFast = fast.Forward(x);
        Assert.Equal(new[] { 2, nFft / 2 + 1, fast.Frames(length) }, yFast.Shape);
        (yFast * upstream).Sum().Backward();
        var gFast = x.Grad!.ToDoubleArray();
        x.Grad = null;
        var yDense = dense.Forward(x);
        (yDense * upstream).Sum().Backward();
        AssertClose($"factorized vs dense, nFft {nFft}", yDense.ToDoubleArray(), yFast.ToDoubleArray(), 1e-9, 1e-9, log);
        AssertClose($"input gradient, nFft {nFft}", x.Grad!.ToDoubleArray(), gFast, 1e-9, 1e-9, log);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Float32FactorizedStaysCloseToFloat64(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var f32 = new StftPower(1024, 256, 1e-5, DType.Float32, dev);
        using var f64 = new StftPower(1024, 256, 1e-5, DType.Float64, dev, factorized: false);
        var x = Seeded([1, 1, 2048], 83, device: dev);
        var want = f64.Forward(x).ToDoubleArray();
        var got = f32.Forward(x.To(DType.Float32)).ToDoubleArray();
        // log power: absolute error; the bins near ε carry float32's relative error of tiny powers
        AssertClose("float32 factorized", want, got, 2e-3, 1e-3, log);
    }

    [Fact]
    public void SizesOutsideStayDenseOrSayWhy()
    {
        Assert.False(new StftPower(12, 3).Factorized);
        Assert.False(new StftPower(8, 2).Factorized);
        Assert.False(new StftPower(64, 24).Factorized);
        var e = Assert.Throws<ArgumentException>(() => new StftPower(64, 24, factorized: true));
        Assert.Contains("hop divides", e.Message);
    }

    /// <summary>The default takes the factorized form from <see cref="StftPower.FactorizedFrom"/> up, where it is the faster
    /// one on the CPU (bench critics), and the dense convolution below it.</summary>
    [Fact]
    public void TheDefaultFactorizesFromTenTwentyFour()
    {
        Assert.False(new StftPower(512, 128).Factorized);
        Assert.True(new StftPower(1024, 256).Factorized);
        Assert.True(new StftPower(2048, 512).Factorized);
        Assert.False(new StftPower(256, 64).Factorized);
        Assert.False(new StftPower(128, 32).Factorized);
    }

    /// <summary>A gradient penalty through a spectrogram critic differentiates the STFT twice: the R1 term's gradient
    /// w.r.t. the critic's weights, central differences in float64, with the factorized form.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void R1PenaltySecondOrderThroughTheFactorizedForm(string device)
    {
        var dev = DeviceRows.Get(device);
        var g = new RandomStream(84);
        using var stft = new StftPower(16, 4, 1e-3, DType.Float64, device: dev, factorized: true);
        using var critic = new Sequential(new Conv1d(9, 3, 3, stride: 2, padding: 1, gen: g, dtype: DType.Float64, device: dev), new LeakyReLU(0.2),
            new Flatten(), new Linear(3 * 3, 1, gen: g, dtype: DType.Float64, device: dev));
        using var real = Seeded([2, 1, 22], 85, device: dev);
        GradCheck.Check("R1 (factorized stft critic)", () => GanLosses.R1Penalty(x => critic.Forward(stft.Forward(x)), real, 2.0),
            [.. critic.NamedParameters()], maxPerTensor: 24, log: log, allowNoGradient: true);
    }
}
