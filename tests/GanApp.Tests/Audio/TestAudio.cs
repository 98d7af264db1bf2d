using System.Buffers.Binary;
using System.Text;
using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

/// <summary>Builds audio file bytes in memory for tests (every format the readers accept, and broken ones).</summary>
internal static class TestAudio
{
    public static float[] Sine(int n, double freq, int rate, double amp = 0.5, double phase = 0)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(amp * Math.Sin(2 * Math.PI * freq * i / rate + phase));
        return x;
    }

    /// <summary>Interleaved sample bytes in the given encoding.</summary>
    public static byte[] EncodeSamples(float[][] ch, SampleEncoding e)
    {
        int frames = ch[0].Length, bps = e.BytesPerSample;
        var b = new byte[frames * ch.Length * bps];
        int pos = 0;
        for (int i = 0; i < frames; i++)
            foreach (var c in ch)
            {
                WriteSample(b.AsSpan(pos, bps), c[i], e);
                pos += bps;
            }
        return b;
    }

    private static void WriteSample(Span<byte> s, float x, SampleEncoding e)
    {
        bool be = e.BigEndian;
        switch (e.Kind)
        {
            case SampleKind.PcmUnsigned: s[0] = (byte)(Quantise(x, 8) + 128); return;
            case SampleKind.MuLaw: s[0] = G711.Linear16ToMuLaw(Quantise(x, 16)); return;
            case SampleKind.ALaw: s[0] = G711.Linear16ToALaw(Quantise(x, 16)); return;
            case SampleKind.Float:
                if (e.Bits == 32) { if (be) BinaryPrimitives.WriteSingleBigEndian(s, x); else BinaryPrimitives.WriteSingleLittleEndian(s, x); }
                else { if (be) BinaryPrimitives.WriteDoubleBigEndian(s, x); else BinaryPrimitives.WriteDoubleLittleEndian(s, x); }
                return;
        }
        int q = Quantise(x, e.Bits);
        switch (e.Bits)
        {
            case 8: s[0] = (byte)(sbyte)q; break;
            case 16: if (be) BinaryPrimitives.WriteInt16BigEndian(s, (short)q); else BinaryPrimitives.WriteInt16LittleEndian(s, (short)q); break;
            case 24:
                if (be) { s[0] = (byte)(q >> 16); s[1] = (byte)(q >> 8); s[2] = (byte)q; }
                else { s[2] = (byte)(q >> 16); s[1] = (byte)(q >> 8); s[0] = (byte)q; }
                break;
            default: if (be) BinaryPrimitives.WriteInt32BigEndian(s, q); else BinaryPrimitives.WriteInt32LittleEndian(s, q); break;
        }
    }

    public static int Quantise(float x, int bits)
    {
        double full = Math.Pow(2, bits - 1);
        return (int)Math.Clamp(Math.Round(x * full), -full, full - 1);
    }

    public static int FormatTag(SampleEncoding e) => e.Kind switch
    {
        SampleKind.Float => 3,
        SampleKind.ALaw => 6,
        SampleKind.MuLaw => 7,
        _ => 1,
    };

    public static byte[] Fmt(int tag, int channels, int rate, int bits, bool be, bool extensible = false, int? blockAlign = null)
    {
        int ba = blockAlign ?? channels * bits / 8;
        var b = new byte[extensible ? 40 : 16];
        var w = new Writer(b, be);
        w.U16(0, extensible ? 0xFFFE : tag); w.U16(2, channels); w.U32(4, (uint)rate); w.U32(8, (uint)(rate * ba));
        w.U16(12, ba); w.U16(14, bits);
        if (extensible)
        {
            w.U16(16, 22); w.U16(18, bits); w.U32(20, 0);
            w.U16(24, tag);
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(b, 26);
        }
        return b;
    }

    /// <summary>A WAV file from explicit chunks.</summary>
    public static byte[] WavChunks(bool rifx, params (string Id, byte[] Body)[] chunks)
    {
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes(rifx ? "RIFX" : "RIFF"));
        ms.Write(new byte[4]);
        ms.Write("WAVE"u8);
        foreach (var (id, body) in chunks)
        {
            ms.Write(Encoding.ASCII.GetBytes(id));
            var size = new byte[4];
            new Writer(size, rifx).U32(0, (uint)body.Length);
            ms.Write(size);
            ms.Write(body);
            if (body.Length % 2 == 1) ms.WriteByte(0);
        }
        var bytes = ms.ToArray();
        new Writer(bytes, rifx).U32(4, (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Wav(float[][] ch, int rate, SampleEncoding e, bool extensible = false, params (string Id, byte[] Body)[] before)
    {
        var chunks = new List<(string, byte[])>(before)
        {
            ("fmt ", Fmt(FormatTag(e), ch.Length, rate, e.Bits, e.BigEndian, extensible)),
            ("data", EncodeSamples(ch, e)),
        };
        return WavChunks(e.BigEndian, [.. chunks]);
    }

    public static byte[] Au(float[][] ch, int rate, SampleEncoding e, int extraHeader = 0, bool littleEndian = false)
    {
        int enc = e.Kind switch
        {
            SampleKind.MuLaw => 1,
            SampleKind.ALaw => 27,
            SampleKind.Float => e.Bits == 32 ? 6 : 7,
            _ => e.Bits / 8 + 1,
        };
        var data = EncodeSamples(ch, e with { BigEndian = !littleEndian });
        int header = 24 + extraHeader;
        var b = new byte[header + data.Length];
        Encoding.ASCII.GetBytes(littleEndian ? "dns." : ".snd").CopyTo(b, 0);
        var w = new Writer(b, !littleEndian);
        w.U32(4, (uint)header); w.U32(8, (uint)data.Length); w.U32(12, (uint)enc); w.U32(16, (uint)rate); w.U32(20, (uint)ch.Length);
        data.CopyTo(b, header);
        return b;
    }

    public readonly struct Writer(byte[] b, bool be)
    {
        public void U16(int at, int v) { if (be) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), (ushort)v); else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), (ushort)v); }

        public void U32(int at, uint v) { if (be) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v); else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v); }
    }
}
