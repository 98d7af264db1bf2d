using System.Numerics;

namespace GanAudio.App.Evaluation;

/// <summary>Parameters of the classifier's fixed front end (saved with the classifier).</summary>
public sealed record MelParameters
{
    public int SampleRate { get; init; } = 16000;
    public int FftSize { get; init; } = 1024;
    public int Hop { get; init; } = 256;
    public int Mels { get; init; } = 64;
    public double MinHz { get; init; } = 40;
    public double MaxHz { get; init; } = 8000;

    public void Validate()
    {
        if (!Fft.IsPowerOfTwo(FftSize)) throw new ArgumentException($"FFT size {FftSize} is not a power of two");
        if (Hop <= 0 || Mels <= 0 || SampleRate <= 0) throw new ArgumentException("hop, mel bands and sample rate must be positive");
        if (MinHz < 0 || MaxHz <= MinHz || MaxHz > SampleRate / 2.0) throw new ArgumentException($"mel range {MinHz}–{MaxHz} Hz is invalid at {SampleRate} Hz");
    }
}

/// <summary>Log-mel spectrogram (torchaudio's MelSpectrogram with HTK mel scale, center=false, Hann window, power 2, then
/// natural log): frames of <see cref="MelParameters.FftSize"/> samples every <see cref="MelParameters.Hop"/>, each
/// through our radix-2 FFT, then triangular mel filters. Output is band-major: [mels, frames].</summary>
public sealed class MelFrontEnd
{
    private readonly double[] window;
    private readonly (int First, double[] Weights)[] filters;

    public MelFrontEnd(MelParameters p)
    {
        p.Validate();
        Parameters = p;
        window = new double[p.FftSize];
        for (int i = 0; i < p.FftSize; i++) window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / p.FftSize); // periodic Hann
        filters = BuildFilters(p);
    }

    public MelParameters Parameters { get; }

    public int Bands => Parameters.Mels;

    /// <summary>Frames for a clip of <paramref name="samples"/> samples (at least 1: short clips are zero-padded).</summary>
    public int Frames(int samples) => samples <= Parameters.FftSize ? 1 : 1 + (samples - Parameters.FftSize) / Parameters.Hop;

    public static double HzToMel(double hz) => 2595 * Math.Log10(1 + hz / 700);

    public static double MelToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    /// <summary>Triangular filters on the FFT bins, HTK mel scale, peak 1; each as (first bin, weights).</summary>
    private static (int, double[])[] BuildFilters(MelParameters p)
    {
        int bins = p.FftSize / 2 + 1;
        double lo = HzToMel(p.MinHz), hi = HzToMel(p.MaxHz);
        var edges = Enumerable.Range(0, p.Mels + 2).Select(i => MelToHz(lo + (hi - lo) * i / (p.Mels + 1))).ToArray();
        var result = new (int, double[])[p.Mels];
        for (int m = 0; m < p.Mels; m++)
        {
            double left = edges[m], centre = edges[m + 1], right = edges[m + 2];
            var w = new double[bins];
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * p.SampleRate / p.FftSize;
                double up = (f - left) / (centre - left), down = (right - f) / (right - centre);
                w[k] = Math.Max(0, Math.Min(up, down));
            }
            int first = Array.FindIndex(w, v => v > 0), last = Array.FindLastIndex(w, v => v > 0);
            if (first < 0) // narrower than a bin: take the nearest bin
            {
                first = last = Math.Clamp((int)Math.Round(centre * p.FftSize / p.SampleRate), 0, bins - 1);
                w[first] = 1;
            }
            result[m] = (first, w[first..(last + 1)]);
        }
        return result;
    }

    /// <summary>Mel power spectrogram [mels, frames] (band-major), before the logarithm.</summary>
    public float[] MelPower(ReadOnlySpan<float> x)
    {
        var p = Parameters;
        int frames = Frames(x.Length), n = p.FftSize;
        var output = new float[p.Mels * frames];
        var buf = new Complex[n];
        var power = new double[n / 2 + 1];
        for (int t = 0; t < frames; t++)
        {
            int start = t * p.Hop;
            for (int i = 0; i < n; i++)
            {
                int j = start + i;
                buf[i] = new Complex(j < x.Length ? x[j] * window[i] : 0, 0);
            }
            Fft.Forward(buf);
            for (int k = 0; k < power.Length; k++) power[k] = buf[k].Real * buf[k].Real + buf[k].Imaginary * buf[k].Imaginary;
            for (int m = 0; m < p.Mels; m++)
            {
                var (first, w) = filters[m];
                double s = 0;
                for (int k = 0; k < w.Length; k++) s += w[k] * power[first + k];
                output[m * frames + t] = (float)s;
            }
        }
        return output;
    }

    /// <summary>log(mel power + 1e-6) [mels, frames], minus its own mean: a gain change of the input shifts every value
    /// equally, so removing the mean makes the features independent of the clip's level.</summary>
    public float[] LogMel(ReadOnlySpan<float> x)
    {
        var m = MelPower(x);
        double mean = 0;
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = MathF.Log(m[i] + 1e-6f);
            mean += m[i];
        }
        float mu = (float)(mean / m.Length);
        for (int i = 0; i < m.Length; i++) m[i] -= mu;
        return m;
    }
}
