using System.Buffers.Binary;
using System.Text;

namespace GanAudio.App.Audio;

/// <summary>
/// Reads RIFF/RIFX/RF64 WAVE files: PCM 8 (unsigned), 16/24/32 (signed), IEEE float 32/64,
/// A-law, μ-law, WAVE_FORMAT_EXTENSIBLE, any channel count. Unknown chunks are skipped (odd sizes
/// padded); a data chunk that claims more bytes than the file holds is read to the end with a warning.
/// Every problem is an <see cref="AudioFormatException"/>.
/// </summary>
public static class WavReader
{
    private static readonly byte[] GuidSuffix = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static AudioData Read(string path) => Read(AudioFile.ReadAllBytes(path), path);

    /// <param name="bytes">The whole file.</param>
    /// <param name="path">Used in messages only.</param>
    public static AudioData Read(ReadOnlySpan<byte> bytes, string? path = null)
    {
        if (bytes.Length == 0) throw Fail(path, "file is empty (0 bytes)");
        if (bytes.Length < 12) throw Fail(path, $"truncated header: {bytes.Length} bytes is too short for a WAV file");
        string magic = FourCC(bytes[..4]);
        bool bigEndian = magic == "RIFX";
        if (magic is not ("RIFF" or "RIFX" or "RF64"))
            throw Fail(path, $"not a WAV file: {AudioFile.DescribeMagic(bytes)}");
        string form = FourCC(bytes.Slice(8, 4));
        if (form != "WAVE") throw Fail(path, $"{magic} file of type '{form}', not 'WAVE'");

        var warnings = new List<string>();
        FmtChunk? fmt = null;
        long dataStart = -1, dataLength = 0;
        long pos = 12;
        while (pos + 8 <= bytes.Length && (fmt is null || dataStart < 0))
        {
            string id = FourCC(bytes.Slice((int)pos, 4));
            long size = ReadU32(bytes.Slice((int)pos + 4, 4), bigEndian);
            long body = pos + 8;
            long available = bytes.Length - body;
            if (id == "fmt ")
            {
                if (size < 16) throw Fail(path, $"'fmt ' chunk is {size} bytes, needs at least 16");
                if (size > available) throw Fail(path, $"truncated header: 'fmt ' chunk claims {size} bytes but only {available} remain");
                fmt = ParseFmt(bytes.Slice((int)body, (int)size), bigEndian, path);
            }
            else if (id == "data" && dataStart < 0)
            {
                dataStart = body;
                dataLength = size;
                if (size > available)
                {
                    if (!(magic == "RF64" && size == 0xFFFFFFFF))
                        warnings.Add($"data chunk claims {size} bytes but only {available} remain; reading to the end of the file");
                    dataLength = available;
                }
            }
            pos = body + size + (size & 1);
        }
        if (fmt is null)
            throw Fail(path, bytes.Length < 20
                ? "truncated header: no chunks after 'WAVE'" : "no 'fmt ' chunk (the format description is missing)");
        if (dataStart < 0) throw Fail(path, "no 'data' chunk (the file holds no samples)");

        var f = fmt.Value;
        long frames = dataLength / f.BlockAlign;
        if (frames == 0) throw Fail(path, $"data chunk is empty ({dataLength} bytes, one frame is {f.BlockAlign})");
        long rest = dataLength - frames * f.BlockAlign;
        if (rest != 0) warnings.Add($"data ends with a partial frame ({rest} bytes ignored)");
        var channels = SampleDecoder.Decode(bytes.Slice((int)dataStart, (int)(frames * f.BlockAlign)), f.Encoding, f.Channels, f.BlockAlign, (int)frames, out long nonFinite);
        if (nonFinite > 0) warnings.Add($"{nonFinite} non-finite float samples replaced by 0");
        string container = (bigEndian ? "WAV (RIFX)" : magic == "RF64" ? "WAV (RF64)" : "WAV") + (f.Extensible ? " extensible" : "");
        return new AudioData(channels, f.SampleRate, f.Encoding, container, warnings);
    }

    private readonly record struct FmtChunk(SampleEncoding Encoding, int Channels, int SampleRate, int BlockAlign, bool Extensible);

    private static FmtChunk ParseFmt(ReadOnlySpan<byte> c, bool be, string? path)
    {
        int tag = ReadU16(c, be);
        int channels = ReadU16(c[2..], be);
        long rate = ReadU32(c[4..], be);
        int blockAlign = ReadU16(c[12..], be);
        int bits = ReadU16(c[14..], be);
        bool extensible = tag == 0xFFFE;
        if (extensible)
        {
            if (c.Length < 40) throw Fail(path, $"WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {c.Length} bytes, needs 40");
            var guid = c.Slice(24, 16);
            tag = ReadU16(guid, be);
            if (!guid[2..].SequenceEqual(GuidSuffix))
                throw Fail(path, $"unsupported codec: WAVE_FORMAT_EXTENSIBLE sub-format {Convert.ToHexString(guid)} is not a standard WAV sub-format");
        }
        if (channels == 0) throw Fail(path, "'fmt ' says 0 channels");
        if (rate == 0) throw Fail(path, "'fmt ' says sample rate 0 Hz");
        if (rate > 10_000_000) throw Fail(path, $"'fmt ' says sample rate {rate} Hz, which is absurd");
        if (blockAlign == 0) throw Fail(path, "'fmt ' says block align 0 (bytes per frame)");
        if (bits == 0) throw Fail(path, "'fmt ' says 0 bits per sample");

        SampleKind kind = tag switch
        {
            1 => bits <= 8 ? SampleKind.PcmUnsigned : SampleKind.PcmSigned,
            3 => SampleKind.Float,
            6 => SampleKind.ALaw,
            7 => SampleKind.MuLaw,
            _ => throw Fail(path, $"unsupported codec: {CodecName(tag)} (format 0x{tag:X4}); convert the file to PCM WAV"),
        };
        int bytesPerSample = (bits + 7) / 8;
        var enc = new SampleEncoding(kind, bytesPerSample * 8, be);
        if (!SampleDecoder.IsSupported(enc))
            throw Fail(path, $"unsupported sample format: {CodecName(tag)} with {bits} bits per sample");
        if (blockAlign < (long)channels * bytesPerSample)
            throw Fail(path, $"'fmt ' says block align {blockAlign}, less than {channels} channel(s) × {bytesPerSample} bytes");
        return new FmtChunk(enc, channels, (int)rate, blockAlign, extensible);
    }

    /// <summary>A readable name for a WAVE format tag.</summary>
    public static string CodecName(int tag) => tag switch
    {
        0x0001 => "PCM",
        0x0002 => "Microsoft ADPCM",
        0x0003 => "IEEE float",
        0x0006 => "A-law",
        0x0007 => "μ-law",
        0x0011 => "IMA ADPCM",
        0x0022 => "TrueSpeech",
        0x0031 => "GSM 6.10",
        0x0040 => "G.721 ADPCM",
        0x0050 => "MPEG audio",
        0x0055 => "MP3",
        0x00FF or 0x1610 => "AAC",
        0x0160 or 0x0161 or 0x0162 or 0x0163 => "Windows Media Audio",
        0x2000 => "AC-3",
        0xF1AC => "FLAC",
        0x0000 => "unknown (format tag 0)",
        _ => "unknown codec",
    };

    private static string FourCC(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(4);
        foreach (byte x in b) sb.Append(x is >= 0x20 and < 0x7F ? (char)x : '?');
        return sb.ToString();
    }

    private static int ReadU16(ReadOnlySpan<byte> b, bool be) => be ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private static long ReadU32(ReadOnlySpan<byte> b, bool be) => be ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static AudioFormatException Fail(string? path, string reason) => AudioFormatException.Create(path, reason);
}
