using System.Numerics;

namespace GanAudio.App.Evaluation;

/// <summary>In-place iterative radix-2 complex FFT (Cooley–Tukey), for power-of-two lengths.</summary>
public static class Fft
{
    public static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;

    public static void Forward(Complex[] a)
    {
        int n = a.Length;
        if (!IsPowerOfTwo(n)) throw new ArgumentException($"FFT length {n} is not a power of two");
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            double ang = -2 * Math.PI / len;
            var wl = new Complex(Math.Cos(ang), Math.Sin(ang));
            for (int i = 0; i < n; i += len)
            {
                var w = Complex.One;
                for (int k = 0; k < len / 2; k++)
                {
                    var u = a[i + k];
                    var v = a[i + k + len / 2] * w;
                    a[i + k] = u + v;
                    a[i + k + len / 2] = u - v;
                    w *= wl;
                }
            }
        }
    }

    /// <summary>Power spectrum |X[k]|² for k = 0..n/2 of a real signal, Hann-windowed, zero-padded to a power of two.</summary>
    public static double[] PowerSpectrum(ReadOnlySpan<float> x, out int fftLength)
    {
        int n = 1;
        while (n < x.Length) n <<= 1;
        fftLength = n;
        var a = new Complex[n];
        for (int i = 0; i < x.Length; i++)
        {
            double w = x.Length > 1 ? 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (x.Length - 1)) : 1;
            a[i] = new Complex(x[i] * w, 0);
        }
        Forward(a);
        var p = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) p[k] = a[k].Real * a[k].Real + a[k].Imaginary * a[k].Imaginary;
        return p;
    }
}
