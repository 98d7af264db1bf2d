namespace GanAudio.App.Data;

/// <summary>
/// SplitMix64: a small, fast, fully specified generator, so shuffles and crops are identical on every
/// platform and .NET version. <see cref="Mix"/> derives independent streams from (seed, epoch, position).
/// </summary>
public struct SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n) (n ≥ 1), by rejection, without modulo bias.</summary>
    public long NextLong(long n)
    {
        ulong un = (ulong)n, limit = ulong.MaxValue - ulong.MaxValue % un;
        ulong v;
        do v = NextUInt64(); while (v >= limit);
        return (long)(v % un);
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>A well-mixed seed from several values.</summary>
    public static ulong Mix(params ReadOnlySpan<ulong> values)
    {
        var r = new SeededRandom(0x243F6A8885A308D3UL);
        ulong h = r.NextUInt64();
        foreach (var v in values) h = new SeededRandom(h ^ v).NextUInt64();
        return h;
    }
}
