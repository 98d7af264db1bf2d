namespace GanAudio.App.Audio;

/// <summary>Ogg Vorbis through NVorbis (served, managed); the first logical stream. Ogg FLAC goes to <see cref="FlacDecoder"/>.</summary>
internal static class OggVorbisDecoder
{
    public static AudioData Decode(byte[] bytes, string? path)
    {
        var head = bytes.AsSpan(0, Math.Min(bytes.Length, 256));
        if (head.IndexOf("OpusHead"u8) >= 0)
            throw AudioFormatException.Create(path, "Ogg Opus is not supported; convert to WAV (e.g. opusdec file.opus file.wav or ffmpeg -i file.opus file.wav)");
        if (head.IndexOf("\u007FFLAC"u8) >= 0) return FlacDecoder.Decode(bytes, path, ogg: true);
        if (head.IndexOf("\u0001vorbis"u8) < 0)
            throw AudioFormatException.Create(path, "Ogg file without a Vorbis stream (only Ogg Vorbis and Ogg FLAC are supported); convert to WAV");
        try
        {
            using var reader = new NVorbis.VorbisReader(new MemoryStream(bytes, writable: false), closeOnDispose: true);
            int channels = reader.Channels, rate = reader.SampleRate, nominal = reader.NominalBitrate;
            if (channels <= 0 || rate <= 0) throw AudioFormatException.Create(path, "Vorbis header gives no channels or sample rate");
            reader.ClipSamples = false;
            var x = Mp3Decoder.ReadAll(reader.ReadSamples);
            long frames = Math.Min(x.Length / channels, LastGranule(bytes));
            if (frames == 0) throw AudioFormatException.Create(path, "Ogg Vorbis file holds no audio samples");
            var warnings = reader.Streams.Count > 1 ? new[] { $"{reader.Streams.Count} chained streams; only the first is read" } : null;
            string detail = nominal > 0 ? $"{nominal / 1000} kb/s nominal" : "VBR";
            return new AudioData(Mp3Decoder.Deinterleave(x, channels, 0, frames), rate, new SampleEncoding(SampleKind.Float, 32, false), "Ogg",
                warnings, codec: "Ogg Vorbis", detail: detail);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not AudioFormatException)
        {
            throw AudioFormatException.Create(path, $"Ogg Vorbis decoding failed (NVorbis): {e.Message}");
        }
    }

    /// <summary>
    /// The last page's granule position: the stream's length in samples (NVorbis 0.10.5 does not always cut the
    /// last packet to it). long.MaxValue when there is none.
    /// </summary>
    private static long LastGranule(byte[] b)
    {
        int at = b.AsSpan().LastIndexOf("OggS"u8);
        if (at < 0 || at + 14 > b.Length) return long.MaxValue;
        long g = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at + 6, 8));
        return g > 0 ? g : long.MaxValue;
    }
}
