using GanAudio.Kernels;
using GanAudio.Nn.Layers;
using GanAudio.Tensors;
using static GanAudio.Nn.Tests.TestSupport;

namespace GanAudio.Nn.Tests;

/// <summary>The inverse STFT's factorized form (two batched matrix products and an overlap-add) against its dense form
/// (a transposed convolution with the full cosine and sine basis): the same samples and the same input gradients, in
/// float64 and float32, on odd frame counts, with and without padding, for the sizes the generators use.</summary>
public sealed class InverseStftFactorizedTests(ITestOutputHelper log)
{
    public static TheoryData<string, int, int, int, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int, int, int, int>();
            foreach (var device in DeviceRows.Names)
            {
                data.Add(device, 1024, 256, 384, 5);   // the demo's generator
                data.Add(device, 512, 128, 192, 3);    // the cpu preset's
                data.Add(device, 64, 16, 0, 7);
                data.Add(device, 32, 16, 5, 4);        // hop nFft/2, odd padding
                data.Add(device, 16, 4, 6, 9);         // the smallest factorized size
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FactorizedMatchesDenseWithGradients(string device, int nFft, int hop, int padding, int frames)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var fast = new InverseStft(nFft, hop, padding, DType.Float64, dev);
        using var dense = new InverseStft(nFft, hop, padding, DType.Float64, dev, factorized: false);
        Assert.True(fast.Factorized);
        Assert.False(dense.Factorized);
        int bins = nFft / 2 + 1, length = fast.OutputLength(frames);
        var x = Seeded([2, 2 * bins, frames], 71, device: dev).RequireGrad();
        var upstream = Seeded([2, 1, length], 72, device: dev);

        var yFast = fast.Forward(x);
        Assert.Equal(new[] { 2, 1, length }, yFast.Shape);
        (yFast * upstream).Sum().Backward();
        var gFast = x.Grad!.ToDoubleArray();
        x.Grad = null;
        var yDense = dense.Forward(x);
        (yDense * upstream).Sum().Backward();
        AssertClose($"factorized vs dense, nFft {nFft}", yDense.ToDoubleArray(), yFast.ToDoubleArray(), 1e-9, 1e-12, log);
        AssertClose($"input gradient, nFft {nFft}", x.Grad!.ToDoubleArray(), gFast, 1e-9, 1e-12, log);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Float32FactorizedStaysCloseToFloat64(string device)
    {
        var dev = DeviceRows.Get(device);
        using var scope = TensorScope.Begin();
        using var exact = new InverseStft(1024, 256, 384, DType.Float64, dev, factorized: false);
        using var fast = new InverseStft(1024, 256, 384, DType.Float32, dev);
        var x = Seeded([2, 1026, 8], 73, device: dev);
        var want = exact.Forward(x).ToDoubleArray();
        var got = fast.Forward(x.To(DType.Float32)).ToDoubleArray();
        double peak = want.Max(Math.Abs);
        AssertClose("float32 factorized", want, got, 1e-4, 1e-5 * peak, log);
    }

    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [InlineData(12, 3)]
    [InlineData(8, 3)]
    [InlineData(2048, 1000)]
    public void SizesOutsideTheFactorizationStayDenseOrSayWhy(int nFft, int hop)
    {
        using var layer = new InverseStft(nFft, hop, 0);
        Assert.False(layer.Factorized);
        var e = Assert.Throws<ArgumentException>(() => new InverseStft(nFft, hop, 0, factorized: true));
        Assert.Contains("power-of-two nFft", e.Message);
    }
}
