using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

public class AuReaderTests
{
    public static TheoryData<SampleKind, int> Formats() => new()
    {
        { SampleKind.MuLaw, 8 }, { SampleKind.ALaw, 8 }, { SampleKind.PcmSigned, 8 }, { SampleKind.PcmSigned, 16 },
        { SampleKind.PcmSigned, 24 }, { SampleKind.PcmSigned, 32 }, { SampleKind.Float, 32 }, { SampleKind.Float, 64 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void RoundTripsEveryEncoding(SampleKind kind, int bits)
    {
        var e = new SampleEncoding(kind, bits, true);
        foreach (int channels in new[] { 1, 2 })
            foreach (bool le in new[] { false, true })
            {
                var ch = Enumerable.Range(0, channels).Select(c => TestAudio.Sine(301, 500 + 100 * c, 22050, 0.8)).ToArray();
                var audio = AudioFile.Decode(TestAudio.Au(ch, 22050, e, extraHeader: 8, littleEndian: le), "x.au");
                Assert.Equal(channels, audio.ChannelCount);
                Assert.Equal(301, audio.Frames);
                Assert.Equal(22050, audio.SampleRate);
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < 301; i++)
                        Assert.True(Math.Abs(audio.Channels[c][i] - ch[c][i]) <= WavReaderTests.Tolerance(e, ch[c][i]), $"{e.Describe()}[{i}]");
            }
    }

    [Fact]
    public void KnownMuLawValuesAndUnknownDataSize()
    {
        var bytes = TestAudio.Au([[0f, 0f, 0f]], 8000, new SampleEncoding(SampleKind.MuLaw, 8, true));
        bytes[24] = 0x00; bytes[25] = 0x80; bytes[26] = 0xFF;
        new TestAudio.Writer(bytes, true).U32(8, 0xFFFFFFFF);
        var audio = AuReader.Read(bytes);
        Assert.Equal([-32124 / 32768f, 32124 / 32768f, 0f], audio.Channels[0]);
        Assert.Empty(audio.Warnings);
    }

    [Theory]
    [InlineData(23, "G.721")]
    [InlineData(99, "unknown codec")]
    public void UnsupportedEncodingNamesTheCodec(uint encoding, string name)
    {
        var bytes = TestAudio.Au([[0f, 0f]], 8000, new SampleEncoding(SampleKind.PcmSigned, 16, true));
        new TestAudio.Writer(bytes, true).U32(12, encoding);
        var ex = Assert.Throws<AudioFormatException>(() => AuReader.Read(bytes, "a.au"));
        Assert.Contains(name, ex.Message);
        Assert.StartsWith("a.au: ", ex.Message);
    }
}
