using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

public class WavReaderTests
{
    public static TheoryData<SampleKind, int, bool> Formats()
    {
        var d = new TheoryData<SampleKind, int, bool>();
        foreach (bool be in new[] { false, true })
        {
            d.Add(SampleKind.PcmUnsigned, 8, be);
            d.Add(SampleKind.PcmSigned, 16, be);
            d.Add(SampleKind.PcmSigned, 24, be);
            d.Add(SampleKind.PcmSigned, 32, be);
            d.Add(SampleKind.Float, 32, be);
            d.Add(SampleKind.Float, 64, be);
            d.Add(SampleKind.MuLaw, 8, be);
            d.Add(SampleKind.ALaw, 8, be);
        }
        return d;
    }

    internal static double Tolerance(SampleEncoding e, float x) => e.Kind switch
    {
        SampleKind.Float => e.Bits == 32 ? 0 : 1e-7,
        SampleKind.MuLaw or SampleKind.ALaw => Math.Abs(x) / 30 + 1e-3,
        _ => 1.0 / (1L << (e.Bits - 1)),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void RoundTripsEveryFormat_MonoStereoAndExtensible(SampleKind kind, int bits, bool bigEndian)
    {
        var e = new SampleEncoding(kind, bits, bigEndian);
        foreach (int channels in new[] { 1, 2, 3 })
            foreach (bool extensible in new[] { false, true })
            {
                var ch = Enumerable.Range(0, channels).Select(c => TestAudio.Sine(257, 440 * (c + 1), 22050, 0.9)).ToArray();
                var audio = WavReader.Read(TestAudio.Wav(ch, 22050, e, extensible));
                Assert.Equal(channels, audio.ChannelCount);
                Assert.Equal(257, audio.Frames);
                Assert.Equal(22050, audio.SampleRate);
                Assert.Equal(kind, audio.Encoding.Kind);
                Assert.Equal(bits, audio.Encoding.Bits);
                Assert.Empty(audio.Warnings);
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < 257; i++)
                        Assert.True(Math.Abs(audio.Channels[c][i] - ch[c][i]) <= Tolerance(e, ch[c][i]),
                            $"{e.Describe()} ch{c}[{i}]: {audio.Channels[c][i]} vs {ch[c][i]}");
            }
    }

    [Fact]
    public void Pcm16KnownSamples()
    {
        var data = new byte[] { 0x00, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F, 0x00, 0x40 };
        var audio = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 1, 8000, 16, false)), ("data", data)));
        Assert.Equal([0f, 1 / 32768f, -1 / 32768f, -1f, 32767 / 32768f, 0.5f], audio.Channels[0]);
        Assert.Equal("PCM 16-bit", audio.Encoding.Describe());
    }

    [Fact]
    public void Pcm24NegativesAreSignExtended()
    {
        var le = new byte[] { 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x80, 0x00, 0x00, 0xC0, 0xFF, 0xFF, 0x7F };
        var audio = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 1, 8000, 24, false)), ("data", le)));
        Assert.Equal([-1 / 8388608f, -1f, -0.5f, 8388607 / 8388608f], audio.Channels[0]);
        var be = new byte[] { 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00 };
        var rifx = WavReader.Read(TestAudio.WavChunks(true, ("fmt ", TestAudio.Fmt(1, 1, 8000, 24, true)), ("data", be)));
        Assert.Equal([-1 / 8388608f, -1f], rifx.Channels[0]);
        Assert.StartsWith("WAV (RIFX)", rifx.Container);
    }

    [Fact]
    public void Pcm8IsUnsigned()
    {
        var audio = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 1, 8000, 8, false)), ("data", new byte[] { 0, 128, 255, 192 })));
        Assert.Equal([-1f, 0f, 127 / 128f, 0.5f], audio.Channels[0]);
    }

    [Fact]
    public void G711TableValuesDecodeInWav()
    {
        var mu = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(7, 1, 8000, 8, false)), ("data", new byte[] { 0x00, 0x80, 0xFF, 0x7F })));
        Assert.Equal([-32124 / 32768f, 32124 / 32768f, 0f, 0f], mu.Channels[0]);
        var a = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(6, 1, 8000, 8, false)), ("data", new byte[] { 0xD5, 0x55, 0xAA, 0x2A })));
        Assert.Equal([8 / 32768f, -8 / 32768f, 32256 / 32768f, -32256 / 32768f], a.Channels[0]);
    }

    [Fact]
    public void ExtraChunksBeforeFmtAndOddSizedChunksAreSkipped()
    {
        var ch = new[] { TestAudio.Sine(100, 300, 16000) };
        var e = new SampleEncoding(SampleKind.PcmSigned, 16, false);
        var bytes = TestAudio.Wav(ch, 16000, e, false, ("JUNK", new byte[7]), ("LIST", "INFOISFT\x05\0\0\0abcd\0"u8.ToArray()), ("bext", new byte[3]));
        var audio = WavReader.Read(bytes);
        Assert.Equal(100, audio.Frames);
        Assert.Equal(TestAudio.Quantise(ch[0][10], 16) / 32768f, audio.Channels[0][10]);
    }

    [Fact]
    public void DataBeforeFmtIsAccepted()
    {
        var e = new SampleEncoding(SampleKind.PcmSigned, 16, false);
        var data = TestAudio.EncodeSamples([[0.25f, -0.25f]], e);
        var audio = WavReader.Read(TestAudio.WavChunks(false, ("data", data), ("fmt ", TestAudio.Fmt(1, 1, 8000, 16, false))));
        Assert.Equal([0.25f, -0.25f], audio.Channels[0]);
    }

    [Fact]
    public void OversizedDataChunkIsReadToTheEndWithAWarning()
    {
        var e = new SampleEncoding(SampleKind.PcmSigned, 16, false);
        var bytes = TestAudio.Wav([TestAudio.Sine(50, 300, 8000)], 8000, e);
        int dataSizeAt = bytes.Length - 100 - 4;
        new TestAudio.Writer(bytes, false).U32(dataSizeAt, 0xFFFFFFFF);
        var audio = WavReader.Read(bytes);
        Assert.Equal(50, audio.Frames);
        Assert.Contains(audio.Warnings, w => w.Contains("reading to the end"));
    }

    [Fact]
    public void TrailingPartialFrameIsIgnoredWithWarning()
    {
        var audio = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 2, 8000, 16, false)), ("data", new byte[10])));
        Assert.Equal(2, audio.Frames);
        Assert.Single(audio.Warnings);
    }

    [Fact]
    public void PaddedContainerBitsDecodeLeftJustified()
    {
        // 12-bit samples stored in 16-bit containers (valid bits < container bits)
        var data = new byte[] { 0x00, 0x80, 0x00, 0x40 };
        var audio = WavReader.Read(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 1, 8000, 12, false, blockAlign: 2)), ("data", data)));
        Assert.Equal([-1f, 0.5f], audio.Channels[0]);
    }

    [Fact]
    public void MonoDownmixAveragesOrPicksAChannel()
    {
        var audio = new AudioData([[1f, 0.5f], [0f, -0.5f]], 8000, new SampleEncoding(SampleKind.Float, 32, false), "WAV");
        Assert.Equal([0.5f, 0f], audio.ToMono(ChannelMode.Average));
        Assert.Equal([0f, -0.5f], audio.ToMono(ChannelMode.Pick(1)));
        Assert.Throws<AudioFormatException>(() => audio.ToMono(ChannelMode.Pick(2)));
    }
}
