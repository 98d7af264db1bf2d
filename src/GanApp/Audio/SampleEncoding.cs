namespace GanAudio.App.Audio;

/// <summary>How one sample is stored in a file.</summary>
public enum SampleKind
{
    /// <summary>Unsigned integer PCM (WAV 8-bit).</summary>
    PcmUnsigned,
    /// <summary>Two's-complement integer PCM.</summary>
    PcmSigned,
    /// <summary>IEEE 754 float (32 or 64 bit).</summary>
    Float,
    /// <summary>G.711 μ-law, 8 bit.</summary>
    MuLaw,
    /// <summary>G.711 A-law, 8 bit.</summary>
    ALaw,
}

/// <summary>A sample layout: kind, bits per stored sample, byte order.</summary>
public readonly record struct SampleEncoding(SampleKind Kind, int Bits, bool BigEndian)
{
    public int BytesPerSample => Bits / 8;

    /// <summary>Short human description, e.g. "PCM 16-bit", "float 32-bit", "μ-law 8-bit".</summary>
    public string Describe() => Kind switch
    {
        SampleKind.PcmUnsigned or SampleKind.PcmSigned => $"PCM {Bits}-bit",
        SampleKind.Float => $"float {Bits}-bit",
        SampleKind.MuLaw => "μ-law 8-bit",
        SampleKind.ALaw => "A-law 8-bit",
        _ => Kind.ToString(),
    };
}
