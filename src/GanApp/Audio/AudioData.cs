namespace GanAudio.App.Audio;

/// <summary>How to turn several channels into one.</summary>
/// <param name="Channel">-1 averages all channels; 0.. picks that channel.</param>
public readonly record struct ChannelMode(int Channel)
{
    public static ChannelMode Average => new(-1);

    public static ChannelMode Pick(int channel) => new(channel);

    public override string ToString() => Channel < 0 ? "average" : $"channel {Channel}";
}

/// <summary>Decoded audio: one float array per channel, samples in [-1, 1] for integer formats.</summary>
public sealed class AudioData
{
    public AudioData(float[][] channels, int sampleRate, SampleEncoding encoding, string container, IReadOnlyList<string>? warnings = null,
        string? codec = null, string? detail = null)
    {
        if (channels.Length == 0) throw new ArgumentException("at least one channel is required", nameof(channels));
        Channels = channels;
        SampleRate = sampleRate;
        Encoding = encoding;
        Container = container;
        Warnings = warnings ?? [];
        Codec = codec ?? (container.StartsWith("AU", StringComparison.Ordinal) ? "AU" : "WAV");
        Detail = detail ?? encoding.Describe();
    }

    /// <summary>"WAV", "AU", "MP3", "Ogg Vorbis", "FLAC".</summary>
    public string Codec { get; }

    /// <summary>The codec's details: "PCM 16-bit", "MPEG-1 Layer III, 128 kb/s", "112 kb/s nominal", "16-bit, via flac".</summary>
    public string Detail { get; }

    /// <summary>Codec and details, as <c>data inspect</c> shows them: "WAV PCM 16-bit", "MP3 MPEG-1 Layer III, 128 kb/s".</summary>
    public string Format => $"{Codec} {Detail}";

    public float[][] Channels { get; }

    public int SampleRate { get; }

    /// <summary>How the samples were stored in the file (for MP3 and Vorbis: the decoder's float 32-bit output).</summary>
    public SampleEncoding Encoding { get; }

    /// <summary>"WAV", "WAV (RIFX)", "WAV (extensible)", "AU", ...</summary>
    public string Container { get; }

    /// <summary>Non-fatal problems found while reading (e.g. a data chunk cut short).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public int ChannelCount => Channels.Length;

    public int Frames => Channels[0].Length;

    public double DurationSeconds => SampleRate > 0 ? (double)Frames / SampleRate : 0;

    /// <summary>One channel: the average of all channels, or the chosen one.</summary>
    public float[] ToMono(ChannelMode mode)
    {
        if (mode.Channel >= 0)
        {
            if (mode.Channel >= Channels.Length)
                throw new AudioFormatException($"channel {mode.Channel} requested but the file has {Channels.Length} channel(s)");
            return Channels[mode.Channel];
        }
        if (Channels.Length == 1) return Channels[0];
        var mono = new float[Frames];
        foreach (var ch in Channels)
            for (int i = 0; i < mono.Length; i++) mono[i] += ch[i];
        float scale = 1f / Channels.Length;
        for (int i = 0; i < mono.Length; i++) mono[i] *= scale;
        return mono;
    }
}
