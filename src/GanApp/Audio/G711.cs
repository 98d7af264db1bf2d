namespace GanAudio.App.Audio;

/// <summary>
/// ITU-T G.711 μ-law and A-law companding. Decoded values are the standard 16-bit linear values
/// (μ-law ±32124 max, A-law ±32256 max) divided by 32768.
/// </summary>
public static class G711
{
    private static readonly float[] MuLawTable = BuildTable(MuLawToLinear16);
    private static readonly float[] ALawTable = BuildTable(ALawToLinear16);

    /// <summary>μ-law byte → 16-bit linear value.</summary>
    public static int MuLawToLinear16(byte code)
    {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 7;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (u & 0x80) != 0 ? -magnitude : magnitude;
    }

    /// <summary>A-law byte → 16-bit linear value.</summary>
    public static int ALawToLinear16(byte code)
    {
        int a = code ^ 0x55;
        int exponent = (a >> 4) & 7;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (a & 0x80) != 0 ? magnitude : -magnitude;
    }

    /// <summary>16-bit linear value → μ-law byte (round toward the segment's lower edge, as G.711 does).</summary>
    public static byte Linear16ToMuLaw(int sample)
    {
        int sign = sample < 0 ? 0x80 : 0;
        int magnitude = Math.Min(Math.Abs(sample), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>16-bit linear value → A-law byte.</summary>
    public static byte Linear16ToALaw(int sample)
    {
        int mask = sample >= 0 ? 0xD5 : 0x55;
        int magnitude = Math.Min(sample >= 0 ? sample : -sample - 1, 32767);
        int code;
        if (magnitude < 256) code = magnitude >> 4;
        else
        {
            int exponent = 1;
            while (exponent < 7 && magnitude >= (256 << exponent)) exponent++;
            code = (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0F);
        }
        return (byte)(code ^ mask);
    }

    /// <summary>μ-law byte → float in [-1, 1].</summary>
    public static float DecodeMuLaw(byte code) => MuLawTable[code];

    /// <summary>A-law byte → float in [-1, 1].</summary>
    public static float DecodeALaw(byte code) => ALawTable[code];

    private static float[] BuildTable(Func<byte, int> decode)
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++) table[i] = decode((byte)i) / 32768f;
        return table;
    }
}
