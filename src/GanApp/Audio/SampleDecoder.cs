using System.Buffers.Binary;

namespace GanAudio.App.Audio;

/// <summary>Decodes interleaved sample bytes into one float array per channel.</summary>
internal static class SampleDecoder
{
    /// <summary>Supported: unsigned PCM 8; signed PCM 8/16/24/32; float 32/64; μ-law/A-law 8.</summary>
    public static bool IsSupported(SampleEncoding e) => e.Kind switch
    {
        SampleKind.PcmUnsigned => e.Bits == 8,
        SampleKind.PcmSigned => e.Bits is 8 or 16 or 24 or 32,
        SampleKind.Float => e.Bits is 32 or 64,
        SampleKind.MuLaw or SampleKind.ALaw => e.Bits == 8,
        _ => false,
    };

    /// <summary>
    /// Decodes <paramref name="frames"/> frames of <paramref name="channels"/> samples; frame i starts at
    /// i·<paramref name="frameStride"/>. Non-finite float samples become 0 and are counted.
    /// </summary>
    public static float[][] Decode(ReadOnlySpan<byte> data, SampleEncoding enc, int channels, int frameStride, int frames, out long nonFinite)
    {
        var result = new float[channels][];
        for (int c = 0; c < channels; c++) result[c] = new float[frames];
        int bps = enc.BytesPerSample;
        nonFinite = 0;
        for (int c = 0; c < channels; c++)
        {
            var dst = result[c];
            int offset = c * bps;
            for (int i = 0; i < frames; i++, offset += frameStride)
            {
                float v = DecodeOne(data.Slice(offset, bps), enc);
                if (!float.IsFinite(v)) { v = 0; nonFinite++; }
                dst[i] = v;
            }
        }
        return result;
    }

    private static float DecodeOne(ReadOnlySpan<byte> s, SampleEncoding enc)
    {
        bool be = enc.BigEndian;
        switch (enc.Kind)
        {
            case SampleKind.PcmUnsigned: return (s[0] - 128) / 128f;
            case SampleKind.MuLaw: return G711.DecodeMuLaw(s[0]);
            case SampleKind.ALaw: return G711.DecodeALaw(s[0]);
            case SampleKind.Float:
                return enc.Bits == 32
                    ? (be ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s))
                    : (float)(be ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s));
            default:
                switch (enc.Bits)
                {
                    case 8: return (sbyte)s[0] / 128f;
                    case 16: return (be ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s)) / 32768f;
                    case 24:
                        int v = be ? (s[0] << 16) | (s[1] << 8) | s[2] : (s[2] << 16) | (s[1] << 8) | s[0];
                        return ((v << 8) >> 8) / 8388608f;
                    default:
                        return (float)((be ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s)) / 2147483648.0);
                }
        }
    }
}
