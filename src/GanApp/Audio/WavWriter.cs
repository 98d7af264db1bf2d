using System.Buffers.Binary;

namespace GanAudio.App.Audio;

/// <summary>Sample formats the WAV writer produces.</summary>
public enum WavSampleFormat
{
    /// <summary>16-bit signed PCM; samples are clipped to [-1, 1) and scaled by 32768.</summary>
    Pcm16,
    /// <summary>32-bit IEEE float, written as is.</summary>
    Float32,
}

/// <summary>Writes little-endian RIFF WAVE files (16-bit PCM or float32, any channel count), atomically.</summary>
public static class WavWriter
{
    /// <summary>Writes a mono file.</summary>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        WriteBytes(path, Encode([samples.ToArray()], sampleRate, format));

    /// <summary>Writes one array per channel (e.g. two for stereo), interleaving them.</summary>
    public static void Write(string path, float[][] channels, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        WriteBytes(path, Encode(channels, sampleRate, format));

    /// <summary>The complete file as bytes.</summary>
    public static byte[] Encode(float[][] channels, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        if (channels.Length is 0 or > 65535) throw new ArgumentException($"cannot write {channels.Length} channels", nameof(channels));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        int frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames)) throw new ArgumentException("all channels must have the same length", nameof(channels));

        bool isFloat = format == WavSampleFormat.Float32;
        int bytesPerSample = isFloat ? 4 : 2;
        int blockAlign = channels.Length * bytesPerSample;
        long dataBytes = (long)frames * blockAlign;
        int fmtSize = isFloat ? 18 : 16;
        int factSize = isFloat ? 12 : 0;
        long total = 12 + 8 + fmtSize + factSize + 8 + dataBytes + (dataBytes & 1);
        if (total > uint.MaxValue) throw new ArgumentException("audio too long for a WAV file (over 4 GiB)", nameof(channels));

        var b = new byte[total];
        var s = b.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(total - 8));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)fmtSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], (ushort)(isFloat ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)channels.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(sampleRate * (long)blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)(bytesPerSample * 8));
        int pos = 20 + fmtSize; // cbSize (float) is already 0
        if (isFloat)
        {
            "fact"u8.CopyTo(s[pos..]);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(pos + 4)..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(pos + 8)..], (uint)frames);
            pos += 12;
        }
        "data"u8.CopyTo(s[pos..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(pos + 4)..], (uint)dataBytes);
        pos += 8;
        for (int i = 0; i < frames; i++)
            foreach (var ch in channels)
            {
                if (isFloat) BinaryPrimitives.WriteSingleLittleEndian(s[pos..], ch[i]);
                else BinaryPrimitives.WriteInt16LittleEndian(s[pos..], ToPcm16(ch[i]));
                pos += bytesPerSample;
            }
        return b;
    }

    /// <summary>Float → 16-bit: round(x·32768), clipped to [-32768, 32767]; NaN → 0.</summary>
    public static short ToPcm16(float x)
    {
        if (float.IsNaN(x)) return 0;
        double v = Math.Round(x * 32768.0);
        return (short)Math.Clamp(v, short.MinValue, short.MaxValue);
    }

    /// <summary>Writes to a temporary name in the same folder, then renames over <paramref name="path"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        string tmp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
