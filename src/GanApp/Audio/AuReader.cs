using System.Buffers.Binary;

namespace GanAudio.App.Audio;

/// <summary>
/// Reads Sun/NeXT <c>.au</c> files (GTZAN's original format): big-endian (".snd"; the rare
/// little-endian "dns." variant too), 8-bit μ-law and A-law, 8/16/24/32-bit PCM, float 32/64.
/// </summary>
public static class AuReader
{
    public static AudioData Read(string path) => Read(AudioFile.ReadAllBytes(path), path);

    public static AudioData Read(ReadOnlySpan<byte> bytes, string? path = null)
    {
        if (bytes.Length == 0) throw Fail(path, "file is empty (0 bytes)");
        if (bytes.Length < 24) throw Fail(path, $"truncated header: {bytes.Length} bytes is too short for an AU file");
        bool be;
        if (bytes[..4].SequenceEqual(".snd"u8)) be = true;
        else if (bytes[..4].SequenceEqual("dns."u8)) be = false;
        else throw Fail(path, $"not an AU file: {AudioFile.DescribeMagic(bytes)}");

        long headerSize = U32(bytes[4..], be), dataSize = U32(bytes[8..], be);
        long encoding = U32(bytes[12..], be), rate = U32(bytes[16..], be), channels = U32(bytes[20..], be);
        if (headerSize < 24) throw Fail(path, $"header size {headerSize} is less than 24");
        if (headerSize > bytes.Length) throw Fail(path, $"truncated header: data offset {headerSize} is beyond the end of the file ({bytes.Length} bytes)");
        if (channels == 0) throw Fail(path, "header says 0 channels");
        if (channels > 65535) throw Fail(path, $"header says {channels} channels, which is absurd");
        if (rate == 0) throw Fail(path, "header says sample rate 0 Hz");
        if (rate > 10_000_000) throw Fail(path, $"header says sample rate {rate} Hz, which is absurd");

        SampleEncoding enc = encoding switch
        {
            1 => new(SampleKind.MuLaw, 8, be),
            2 => new(SampleKind.PcmSigned, 8, be),
            3 => new(SampleKind.PcmSigned, 16, be),
            4 => new(SampleKind.PcmSigned, 24, be),
            5 => new(SampleKind.PcmSigned, 32, be),
            6 => new(SampleKind.Float, 32, be),
            7 => new(SampleKind.Float, 64, be),
            27 => new(SampleKind.ALaw, 8, be),
            _ => throw Fail(path, $"unsupported codec: {EncodingName(encoding)} (AU encoding {encoding}); convert the file to PCM"),
        };

        var warnings = new List<string>();
        long available = bytes.Length - headerSize;
        long length = dataSize;
        if (dataSize == 0xFFFFFFFF) length = available;
        else if (dataSize > available)
        {
            warnings.Add($"data size claims {dataSize} bytes but only {available} remain; reading to the end of the file");
            length = available;
        }
        int frameBytes = (int)channels * enc.BytesPerSample;
        long frames = length / frameBytes;
        if (frames == 0) throw Fail(path, $"no samples ({length} data bytes, one frame is {frameBytes})");
        if (length % frameBytes != 0) warnings.Add($"data ends with a partial frame ({length % frameBytes} bytes ignored)");
        var data = SampleDecoder.Decode(bytes.Slice((int)headerSize, (int)(frames * frameBytes)), enc, (int)channels, frameBytes, (int)frames, out long nonFinite);
        if (nonFinite > 0) warnings.Add($"{nonFinite} non-finite float samples replaced by 0");
        return new AudioData(data, (int)rate, enc, be ? "AU" : "AU (little-endian)", warnings);
    }

    private static string EncodingName(long e) => e switch
    {
        8 => "fragmented sample data",
        10 or 11 or 12 or 13 => "DSP program/data",
        18 or 19 or 20 => "emphasized/compressed PCM",
        21 => "music kit DSP commands",
        23 => "G.721 ADPCM",
        24 => "G.722 ADPCM",
        25 or 26 => "G.723 ADPCM",
        _ => "unknown codec",
    };

    private static long U32(ReadOnlySpan<byte> b, bool be) => be ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static AudioFormatException Fail(string? path, string reason) => AudioFormatException.Create(path, reason);
}
