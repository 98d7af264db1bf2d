using System.Text;

namespace GanAudio.App.Audio;

/// <summary>
/// Reads any supported audio file, chosen by the file's magic bytes: WAV family and Sun AU (our readers), MP3
/// (<see cref="Mp3Decoder"/>), Ogg Vorbis (<see cref="OggVorbisDecoder"/>), FLAC (<see cref="FlacDecoder"/>).
/// </summary>
public static class AudioFile
{
    /// <summary>File extensions the dataset scanner treats as audio we can read.</summary>
    public static readonly IReadOnlySet<string> ReadableExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".wav", ".wave", ".au", ".snd", ".mp3", ".ogg", ".oga", ".flac" };

    /// <summary>Audio extensions we recognise but cannot decode (listed as unreadable with a hint).</summary>
    public static readonly IReadOnlySet<string> UnsupportedExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".opus", ".m4a", ".aac", ".wma", ".aif", ".aiff", ".aifc" };

    /// <summary>What decodes each compressed format here (part of the dataset cache key: a FLAC program appearing rebuilds it).</summary>
    public static string DecoderId => $"mp3=nlayer-3.0.1;vorbis=nvorbis-0.10.5;flac={Path.GetFileName(FlacDecoder.Program) ?? "none"}";

    public const long MaxFileBytes = int.MaxValue - 1024;

    /// <summary>Decodes a file. Throws <see cref="AudioFormatException"/> for anything unreadable.</summary>
    public static AudioData Read(string path)
    {
        string ext = Path.GetExtension(path);
        if (UnsupportedExtensions.Contains(ext))
            throw AudioFormatException.Create(path, $"{ext.TrimStart('.').ToUpperInvariant()} files are not supported; convert to WAV (PCM or float)");
        return Decode(ReadAllBytes(path), path);
    }

    /// <summary>Decodes whole-file bytes, recognising every supported format by its magic.</summary>
    public static AudioData Decode(byte[] bytes, string? path)
    {
        var h = bytes.AsSpan(0, Math.Min(bytes.Length, 4));
        string ext = path is null ? "" : Path.GetExtension(path).ToLowerInvariant();
        if (h.Length >= 4 && h.SequenceEqual("OggS"u8)) return OggVorbisDecoder.Decode(bytes, path);
        if (h.Length >= 4 && h.SequenceEqual("fLaC"u8)) return FlacDecoder.Decode(bytes, path);
        if (h.Length >= 3 && h[..3].SequenceEqual("ID3"u8) || h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0 || ext == ".mp3" && !IsWavOrAu(h))
            return Mp3Decoder.Decode(bytes, path);
        return Decode(bytes.AsSpan(), path);
    }

    private static bool IsWavOrAu(ReadOnlySpan<byte> m) =>
        m.Length >= 4 && (m.SequenceEqual("RIFF"u8) || m.SequenceEqual("RIFX"u8) || m.SequenceEqual("RF64"u8) || m.SequenceEqual(".snd"u8) || m.SequenceEqual("dns."u8));

    /// <summary>Decodes in-memory WAV (RIFF/RIFX/RF64) or AU bytes, recognised by their magic (other formats: the byte[] overload).</summary>
    public static AudioData Decode(ReadOnlySpan<byte> bytes, string? path = null)
    {
        if (bytes.Length >= 4)
        {
            var m = bytes[..4];
            if (m.SequenceEqual("RIFF"u8) || m.SequenceEqual("RIFX"u8) || m.SequenceEqual("RF64"u8)) return WavReader.Read(bytes, path);
            if (m.SequenceEqual(".snd"u8) || m.SequenceEqual("dns."u8)) return AuReader.Read(bytes, path);
        }
        string ext = path is null ? "" : Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".au" or ".snd") return AuReader.Read(bytes, path);
        return WavReader.Read(bytes, path);
    }

    internal static byte[] ReadAllBytes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw AudioFormatException.Create(path, "file not found");
            if (info.Length > MaxFileBytes) throw AudioFormatException.Create(path, $"file is {info.Length} bytes; files over 2 GiB are not supported");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AudioFormatException.Create(path, $"cannot read the file: {e.Message}");
        }
    }

    /// <summary>Describes what the first bytes look like, for "not a WAV file" messages.</summary>
    internal static string DescribeMagic(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 64)];
        string text = Encoding.ASCII.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (text.StartsWith("<!doctype html") || text.StartsWith("<html") || text.StartsWith("<?xml") || text.StartsWith("<head"))
            return "it looks like an HTML/XML page (a download that saved a web page?)";
        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8) || head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
            return "it looks like an MP3 file; name it .mp3";
        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8)) return "it looks like a FLAC file; name it .flac";
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8)) return "it looks like an Ogg file; name it .ogg";
        if (head.Length >= 4 && head[..4].SequenceEqual("FORM"u8)) return "it looks like an AIFF file; convert to WAV";
        var first = head[..Math.Min(head.Length, 4)];
        return $"expected 'RIFF', 'RIFX' or '.snd' at the start, found {Convert.ToHexString(first)}";
    }
}
