using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace GanAudio.App.Audio;

/// <summary>
/// Band-limited resampler: a Kaiser-windowed sinc low-pass evaluated as a polyphase filter.
/// For the reduced ratio L/M (output/input) with L ≤ <see cref="MaxExactPhases"/> every phase has its own
/// precomputed row of taps; otherwise rows are linearly interpolated from a 4096-phase table.
/// The cutoff is 0.93 × the lower Nyquist frequency, the stopband starts at the lower Nyquist frequency
/// and is attenuated by about 96 dB; each phase's taps sum to exactly 1 (DC gain 1). Samples outside the
/// input are zero. Output length is ceil(n·L/M). Stateless after construction and thread-safe.
/// </summary>
public sealed class Resampler
{
    public const int MaxExactPhases = 4096;
    private const double StopbandDb = 96;
    private const double PassbandEdge = 0.86; // fraction of the lower Nyquist frequency
    private const int MaxTaps = 16384;

    private static readonly ConcurrentDictionary<(int, int), Resampler> Cache = new();

    private readonly int _l, _m, _phases, _taps, _half;
    private readonly bool _exact;
    private readonly float[] _table; // (_phases + 1) rows of _taps

    public Resampler(int inputRate, int outputRate)
    {
        if (inputRate <= 0 || outputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputRate), $"sample rates must be positive (got {inputRate} → {outputRate})");
        InputRate = inputRate;
        OutputRate = outputRate;
        int g = Gcd(inputRate, outputRate);
        _l = outputRate / g;
        _m = inputRate / g;
        _exact = _l <= MaxExactPhases;
        _phases = _exact ? _l : MaxExactPhases;

        double lowNyquist = Math.Min(inputRate, outputRate) / 2.0;
        double cutoff = (1 + PassbandEdge) / 2 * lowNyquist / (inputRate / 2.0); // 1 = input Nyquist
        double transition = Math.PI * (1 - PassbandEdge) * lowNyquist / (inputRate / 2.0); // rad/sample
        double length = (StopbandDb - 7.95) / (2.285 * transition);
        _half = (int)Math.Ceiling(length / 2);
        _taps = 2 * _half;
        if (_taps > MaxTaps)
            throw new ArgumentException($"resampling {inputRate} Hz → {outputRate} Hz needs a {_taps}-tap filter; the ratio is too extreme");
        _table = BuildTable(cutoff, 0.1102 * (StopbandDb - 8.7));
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Taps per output sample.</summary>
    public int Taps => _taps;

    /// <summary>A shared instance per rate pair.</summary>
    public static Resampler For(int inputRate, int outputRate) =>
        Cache.GetOrAdd((inputRate, outputRate), k => new Resampler(k.Item1, k.Item2));

    /// <summary>Resamples with a cached filter; returns a copy when the rates are equal.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int inputRate, int outputRate, bool parallel = false) =>
        inputRate == outputRate ? input.ToArray() : For(inputRate, outputRate).Process(input, parallel);

    public long OutputLength(long inputLength) => (inputLength * _l + _m - 1) / _m;

    /// <summary>Resamples one channel. <paramref name="parallel"/> splits long outputs over cores.</summary>
    public float[] Process(ReadOnlySpan<float> input, bool parallel = false)
    {
        long outLen = OutputLength(input.Length);
        if (outLen > Array.MaxLength) throw new ArgumentException("resampled signal would be too long", nameof(input));
        var output = new float[outLen];
        var padded = new float[input.Length + _taps + 1];
        input.CopyTo(padded.AsSpan(_half));
        const int chunk = 8192;
        int chunks = (int)((outLen + chunk - 1) / chunk);
        if (parallel && chunks > 1)
            Parallel.For(0, chunks, c => Run(padded, output, c * chunk, (int)Math.Min(outLen, (long)(c + 1) * chunk)));
        else
            Run(padded, output, 0, output.Length);
        return output;
    }

    private void Run(float[] padded, float[] output, int start, int end)
    {
        var table = _table.AsSpan();
        var x = padded.AsSpan();
        for (int n = start; n < end; n++)
        {
            long num = (long)n * _m;
            int baseIndex = (int)(num / _l);
            long rem = num - (long)baseIndex * _l;
            var window = x.Slice(baseIndex + 1, _taps); // input index baseIndex - half + 1 .. baseIndex + half
            if (_exact)
            {
                output[n] = Dot(table.Slice((int)rem * _taps, _taps), window);
            }
            else
            {
                double pf = (double)rem / _l * _phases;
                int p = (int)pf;
                float a = (float)(pf - p);
                float d0 = Dot(table.Slice(p * _taps, _taps), window);
                float d1 = Dot(table.Slice((p + 1) * _taps, _taps), window);
                output[n] = d0 + a * (d1 - d0);
            }
        }
    }

    private float[] BuildTable(double cutoff, double beta)
    {
        var table = new float[(_phases + 1) * _taps];
        double i0Beta = BesselI0(beta);
        var row = new double[_taps];
        for (int p = 0; p <= _phases; p++)
        {
            double frac = (double)p / _phases;
            double sum = 0;
            for (int j = 0; j < _taps; j++)
            {
                double t = frac + _half - 1 - j; // distance from the output instant to input sample j
                double r = t / _half;
                double w = Math.Abs(r) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - r * r)) / i0Beta;
                row[j] = cutoff * Sinc(cutoff * t) * w;
                sum += row[j];
            }
            for (int j = 0; j < _taps; j++) table[p * _taps + j] = (float)(row[j] / sum);
        }
        return table;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
            int k = 0;
            for (; k + 1 < va.Length; k += 2)
            {
                acc0 += va[k] * vb[k];
                acc1 += va[k + 1] * vb[k + 1];
            }
            if (k < va.Length) acc0 += va[k] * vb[k];
            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    /// <summary>Modified Bessel function of the first kind, order 0 (power series).</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
