namespace GanAudio.Kernels;

/// <summary>Philox4x32-10 (Salmon et al., SC'11), the counter-based generator every device uses, so one seed
/// gives the same numbers everywhere. Element i of a draw at stream offset o uses block (o + i) / 4, lane (o + i) % 4.</summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The four 32-bit outputs for a 64-bit block counter and 64-bit key.</summary>
    public static (uint, uint, uint, uint) Block(ulong counter, ulong key)
    {
        uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = 0, c3 = 0;
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int r = 0; r < 10; r++)
        {
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
            k0 += W0; k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Lane <paramref name="lane"/> (0..3) of a block.</summary>
    public static uint Lane((uint, uint, uint, uint) block, int lane) => lane switch
    {
        0 => block.Item1,
        1 => block.Item2,
        2 => block.Item3,
        _ => block.Item4,
    };

    /// <summary>Maps 32 random bits to (0, 1]: (u + 1) · 2^-32 in double, never 0 (safe for log).</summary>
    public static double ToUnitOpenZero(uint u) => (u + 1.0) * (1.0 / 4294967296.0);

    /// <summary>Maps 32 random bits to [0, 1): u · 2^-32.</summary>
    public static double ToUnit(uint u) => u * (1.0 / 4294967296.0);

    /// <summary>Uniform number for global stream position <paramref name="position"/>, in double precision.</summary>
    public static double Uniform(ulong seed, ulong position, double low, double high)
    {
        var blk = Block(position >> 2, seed);
        return low + (high - low) * ToUnit(Lane(blk, (int)(position & 3)));
    }

    /// <summary>Standard normal for stream position p by Box–Muller over the lane pair (2⌊lane/2⌋, 2⌊lane/2⌋+1):
    /// even lanes take r·cos θ, odd lanes r·sin θ, with r = √(−2 ln u1), θ = 2π u2.</summary>
    public static double Normal(ulong seed, ulong position)
    {
        var blk = Block(position >> 2, seed);
        int lane = (int)(position & 3);
        int pair = lane & 2;
        double u1 = ToUnitOpenZero(Lane(blk, pair));
        double u2 = ToUnit(Lane(blk, pair + 1));
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double th = 2.0 * Math.PI * u2;
        return (lane & 1) == 0 ? r * Math.Cos(th) : r * Math.Sin(th);
    }
}
