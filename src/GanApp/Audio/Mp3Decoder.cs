using NAudio.Wave;

namespace GanAudio.App.Audio;

/// <summary>
/// MPEG audio (MP3; Layer I/II too) through two served managed libraries: NAudio.Core's frame reader finds the first
/// frame past any ID3v2 tag and recognises a Xing/Info frame; NLayer decodes the frames. The Info frame's LAME tag
/// gives the encoder delay and padding; we drop delay + 529 samples (the Layer III decoder's own delay) at the start
/// and the padding at the end, so a LAME file decodes to exactly the source's length and alignment. Without the tag
/// only the decoder delay is dropped (LAME's 576-sample encoder delay then remains at the start).
/// </summary>
internal static class Mp3Decoder
{
    private const int DecoderDelay = 529;

    public static AudioData Decode(byte[] bytes, string? path)
    {
        int start = Id3v2End(bytes);
        using var scan = new MemoryStream(bytes, start, bytes.Length - start, writable: false);
        Mp3Frame? first;
        try { first = Mp3Frame.LoadFromStream(scan); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw AudioFormatException.Create(path, $"not a readable MP3 file: {e.Message}"); }
        if (first is null) throw AudioFormatException.Create(path, "no MPEG audio frame found (not an MP3 file, or a damaged one)");
        var xing = XingHeader.LoadXingHeader(first);
        long audioStart = start + first.FileOffset + (xing is null ? 0 : first.FrameLength);
        var gapless = xing is null ? null : LameTag.Read(first.RawData ?? []);
        bool layer3 = first.MpegLayer == MpegLayer.Layer3;

        float[] interleaved;
        int channels, rate;
        try
        {
            using var mpeg = new NLayer.MpegFile(new MemoryStream(bytes, (int)audioStart, bytes.Length - (int)audioStart, writable: false));
            channels = mpeg.Channels;
            rate = mpeg.SampleRate;
            interleaved = ReadAll(mpeg.ReadSamples);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not AudioFormatException)
        {
            throw AudioFormatException.Create(path, $"MP3 decoding failed (NLayer): {e.Message}");
        }
        if (channels <= 0 || rate <= 0) throw AudioFormatException.Create(path, "MP3 header gives no channels or sample rate");
        long frames = interleaved.Length / channels;
        long skip = layer3 ? DecoderDelay + (gapless?.Delay ?? 0) : 0;
        long keep = gapless is { } g ? frames - g.Delay - g.Padding : frames - skip;
        keep = Math.Clamp(keep, 0, Math.Max(0, frames - skip));
        if (keep == 0) throw AudioFormatException.Create(path, "MP3 file holds no audio samples");
        var data = Deinterleave(interleaved, channels, skip, keep);
        string version = first.MpegVersion switch { MpegVersion.Version1 => "MPEG-1", MpegVersion.Version2 => "MPEG-2", _ => "MPEG-2.5" };
        string layer = first.MpegLayer switch { MpegLayer.Layer1 => "Layer I", MpegLayer.Layer2 => "Layer II", _ => "Layer III" };
        string kbps = xing is null ? $"{first.BitRate / 1000} kb/s" : "VBR/Info";
        return new AudioData(data, rate, new SampleEncoding(SampleKind.Float, 32, false), "MP3", codec: layer3 ? "MP3" : "MPEG audio",
            detail: $"{version} {layer}, {kbps}");
    }

    /// <summary>Reads a decoder's interleaved float output to the end.</summary>
    internal static float[] ReadAll(Func<float[], int, int, int> read)
    {
        var all = new List<float[]>();
        var buf = new float[1 << 16];
        long total = 0;
        int n;
        while ((n = read(buf, 0, buf.Length)) > 0)
        {
            all.Add(buf[..n]);
            total += n;
            if (total > AudioFile.MaxFileBytes / 4) throw new AudioFormatException("decoded audio is over 2^29 samples; not supported");
        }
        var result = new float[total];
        long pos = 0;
        foreach (var a in all) { a.CopyTo(result, pos); pos += a.Length; }
        return result;
    }

    internal static float[][] Deinterleave(float[] x, int channels, long skip, long frames)
    {
        var data = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            var ch = data[c] = new float[frames];
            for (long i = 0; i < frames; i++) ch[i] = x[(skip + i) * channels + c];
        }
        return data;
    }

    /// <summary>Offset of the first byte after any ID3v2 tags (10-byte header, synchsafe size, optional footer).</summary>
    private static int Id3v2End(byte[] b)
    {
        int pos = 0;
        while (pos + 10 <= b.Length && b[pos] == 'I' && b[pos + 1] == 'D' && b[pos + 2] == '3')
        {
            int size = (b[pos + 6] & 0x7F) << 21 | (b[pos + 7] & 0x7F) << 14 | (b[pos + 8] & 0x7F) << 7 | (b[pos + 9] & 0x7F);
            int next = pos + 10 + size + ((b[pos + 5] & 0x10) != 0 ? 10 : 0);
            if (next > b.Length) break;
            pos = next;
        }
        return pos;
    }
}
