using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

public class ResamplerTests(ITestOutputHelper output)
{
    private const int Margin = 256;

    private static double SnrDb(float[] y, int rate, double freq, double amp)
    {
        double signal = 0, noise = 0;
        for (int n = Margin; n < y.Length - Margin; n++)
        {
            double r = amp * Math.Sin(2 * Math.PI * freq * n / rate);
            signal += r * r;
            noise += (y[n] - r) * (y[n] - r);
        }
        return 10 * Math.Log10(signal / noise);
    }

    private static double Rms(float[] y, int from, int to)
    {
        double s = 0;
        for (int n = from; n < to; n++) s += (double)y[n] * y[n];
        return Math.Sqrt(s / (to - from));
    }

    [Theory]
    [InlineData(22050, 16000, 1000)]
    [InlineData(44100, 16000, 1000)]
    [InlineData(8000, 16000, 1000)]
    [InlineData(16000, 22050, 3000)]
    [InlineData(22050, 16001, 1000)] // 16001/22050 has too many phases: interpolated table
    [InlineData(48000, 44100, 5000)]
    public void SineSnrIsAtLeast80Db(int from, int to, double freq)
    {
        var x = TestAudio.Sine(from * 2, freq, from, 0.5);
        var y = Resampler.Resample(x, from, to);
        Assert.Equal((long)Math.Ceiling(x.Length * (double)to / from), y.Length);
        double snr = SnrDb(y, to, freq, 0.5);
        output.WriteLine($"{from} → {to} Hz, {freq} Hz sine: SNR {snr:F1} dB, {new Resampler(from, to).Taps} taps");
        Assert.True(snr >= 80, $"SNR {snr:F1} dB");
    }

    [Theory]
    [InlineData(22050, 16000, 9000)]
    [InlineData(22050, 16000, 8100)]
    [InlineData(44100, 16000, 12000)]
    [InlineData(44100, 16000, 20000)]
    public void ToneAboveTheNewNyquistIsAttenuatedBy60Db(int from, int to, double freq)
    {
        var x = TestAudio.Sine(from * 2, freq, from, 0.5);
        var y = Resampler.Resample(x, from, to, parallel: true);
        double db = 20 * Math.Log10(Rms(y, Margin, y.Length - Margin) / Rms(x, Margin, x.Length - Margin));
        output.WriteLine($"{from} → {to} Hz, {freq} Hz tone: {db:F1} dB");
        Assert.True(db <= -60, $"attenuation only {db:F1} dB");
    }

    [Theory]
    [InlineData(22050, 16000)]
    [InlineData(44100, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(22050, 16001)]
    public void DcGainIsOne(int from, int to)
    {
        var x = Enumerable.Repeat(0.75f, from).ToArray();
        var y = Resampler.Resample(x, from, to);
        double worst = 0;
        for (int n = Margin; n < y.Length - Margin; n++) worst = Math.Max(worst, Math.Abs(y[n] / 0.75 - 1));
        output.WriteLine($"{from} → {to} Hz: DC gain 1 ± {worst:E2}");
        Assert.True(worst <= 1e-3, $"DC gain off by {worst}");
    }

    [Fact]
    public void ParallelEqualsSerialAndSameRateCopies()
    {
        var x = TestAudio.Sine(100_000, 440, 22050);
        Assert.Equal(Resampler.Resample(x, 22050, 16000), Resampler.Resample(x, 22050, 16000, parallel: true));
        var same = Resampler.Resample(x, 16000, 16000);
        Assert.Equal(x, same);
        Assert.NotSame(x, same);
        Assert.Empty(Resampler.Resample([], 22050, 16000));
        Assert.Single(Resampler.Resample([1f], 22050, 16000));
    }
}
