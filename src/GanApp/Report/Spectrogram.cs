using GanAudio.App.Evaluation;

namespace GanAudio.App.Report;

/// <summary>Spectrogram images: log power of a Hann-windowed STFT (our FFT), 80 dB range below the clip's maximum,
/// low frequencies at the bottom, a perceptual dark-to-bright colour map, written as PNG.</summary>
public static class Spectrogram
{
    public static byte[] RenderPng(ReadOnlySpan<float> x, int fftSize = 512, int hop = 128, double rangeDb = 80)
    {
        if (!Fft.IsPowerOfTwo(fftSize)) throw new ArgumentException($"FFT size {fftSize} is not a power of two");
        int frames = Math.Max(1, 1 + (x.Length - fftSize) / hop), bins = fftSize / 2;
        var db = new double[frames * bins];
        double max = double.MinValue;
        var frame = new float[fftSize];
        for (int t = 0; t < frames; t++)
        {
            Array.Clear(frame);
            int n = Math.Clamp(x.Length - t * hop, 0, fftSize);
            x.Slice(t * hop, n).CopyTo(frame);
            var p = Fft.PowerSpectrum(frame, out _);
            for (int k = 0; k < bins; k++)
            {
                double v = 10 * Math.Log10(p[k + 1] + 1e-12);
                db[t * bins + k] = v;
                max = Math.Max(max, v);
            }
        }
        var rgb = new byte[frames * bins * 3];
        for (int t = 0; t < frames; t++)
            for (int k = 0; k < bins; k++)
            {
                double v = Math.Clamp((db[t * bins + k] - (max - rangeDb)) / rangeDb, 0, 1);
                var (r, g, b) = Colour(v);
                int o = ((bins - 1 - k) * frames + t) * 3;
                (rgb[o], rgb[o + 1], rgb[o + 2]) = (r, g, b);
            }
        return Png.EncodeRgb(frames, bins, rgb);
    }

    /// <summary>Black → purple → orange → pale yellow (piecewise-linear, similar in spirit to "magma").</summary>
    public static (byte R, byte G, byte B) Colour(double v)
    {
        ReadOnlySpan<double> stops = [0, 0.3, 0.65, 1];
        double[][] cols = [[0, 0, 4], [114, 31, 129], [241, 96, 93], [252, 253, 191]];
        int i = v >= 1 ? 2 : v < stops[1] ? 0 : v < stops[2] ? 1 : 2;
        double f = (v - stops[i]) / (stops[i + 1] - stops[i]);
        byte C(int c) => (byte)Math.Round(cols[i][c] + f * (cols[i + 1][c] - cols[i][c]));
        return (C(0), C(1), C(2));
    }
}
