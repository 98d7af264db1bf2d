namespace GanAudio.Nn.Checkpoints;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum stored per tensor in checkpoints.
/// Check value: "123456789" → 0xE3069283.</summary>
public static class Crc32C
{
    private static readonly uint[] Table = MakeTable();

    private static uint[] MakeTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[i] = c;
        }
        return t;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running state before any byte: Compute(a ++ b) = Finish(Append(Append(Start, a), b)).</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>The running state after <paramref name="data"/> more bytes.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        uint c = state;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c;
    }

    /// <summary>The checksum of the bytes appended so far.</summary>
    public static uint Finish(uint state) => ~state;

    /// <summary>The metadata key holding a tensor's checksum (a string value, as Python's safetensors requires).</summary>
    public static string MetadataKey(string tensor) => "crc32c:" + tensor;

    public static string Format(uint crc) => crc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
