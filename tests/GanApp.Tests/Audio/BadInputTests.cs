using System.Text;
using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

public class BadInputTests
{
    private static readonly SampleEncoding Pcm16 = new(SampleKind.PcmSigned, 16, false);

    private static byte[] Valid() => TestAudio.Wav([TestAudio.Sine(64, 440, 8000)], 8000, Pcm16);

    private static string Fails(byte[] bytes, string name = "bad.wav")
    {
        var ex = Assert.Throws<AudioFormatException>(() => AudioFile.Decode(bytes, name));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith(name + ": ", ex.Message);
        Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
        return ex.Reason;
    }

    private static byte[] WithFmt(Action<TestAudio.Writer> edit)
    {
        var fmt = TestAudio.Fmt(1, 1, 8000, 16, false);
        edit(new TestAudio.Writer(fmt, false));
        return TestAudio.WavChunks(false, ("fmt ", fmt), ("data", new byte[32]));
    }

    [Fact] public void ZeroLength() => Assert.Contains("empty", Fails([]));

    [Fact] public void TruncatedHeader() => Assert.Contains("truncated header", Fails(Valid()[..10]));

    [Fact] public void HeaderWithoutChunks() => Assert.Contains("truncated header", Fails(Valid()[..14]));

    [Fact] public void TruncatedFmt() => Assert.Contains("truncated header", Fails(Valid()[..30]));

    [Fact]
    public void TruncatedData()
    {
        var v = Valid();
        var audio = AudioFile.Decode(v[..(v.Length - 51)], "cut.wav"); // 128 data bytes → 77 kept
        Assert.Equal(38, audio.Frames);
        Assert.Equal(2, audio.Warnings.Count); // claims more than present; partial frame
        Assert.Contains("empty", Fails(v[..44]));
    }

    [Fact] public void WrongMagic() => Assert.Contains("expected 'RIFF'", Fails(Encoding.ASCII.GetBytes("RIFFxxxx").Concat(new byte[] { 1 }).ToArray().Select((b, i) => i == 0 ? (byte)'X' : b).Concat(new byte[40]).ToArray()));

    [Fact] public void NotWave() => Assert.Contains("not 'WAVE'", Fails(Encoding.ASCII.GetBytes("RIFF\x10\0\0\0AVI LIST\0\0\0\0")));

    [Fact] public void MissingFmt() => Assert.Contains("no 'fmt '", Fails(TestAudio.WavChunks(false, ("data", new byte[8]))));

    [Fact] public void MissingData() => Assert.Contains("no 'data'", Fails(TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 1, 8000, 16, false)), ("LIST", new byte[4]))));

    [Fact] public void ZeroChannels() => Assert.Contains("0 channels", Fails(WithFmt(w => w.U16(2, 0))));

    [Fact] public void ZeroSampleRate() => Assert.Contains("sample rate 0", Fails(WithFmt(w => w.U32(4, 0))));

    [Fact] public void AbsurdSampleRate() => Assert.Contains("absurd", Fails(WithFmt(w => w.U32(4, 0xFFFFFFFF))));

    [Fact] public void ZeroBlockAlign() => Assert.Contains("block align 0", Fails(WithFmt(w => w.U16(12, 0))));

    [Fact] public void BlockAlignTooSmall() => Assert.Contains("block align 1", Fails(WithFmt(w => w.U16(12, 1))));

    [Fact] public void ZeroBits() => Assert.Contains("0 bits", Fails(WithFmt(w => w.U16(14, 0))));

    [Fact] public void AbsurdBits() => Assert.Contains("unsupported sample format", Fails(WithFmt(w => { w.U16(14, 0xFFFF); w.U16(12, 0xFFFF); })));

    [Fact]
    public void DataSizeFFFFFFFFWithNoBytes()
    {
        var b = TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(1, 1, 8000, 16, false)), ("data", []));
        new TestAudio.Writer(b, false).U32(b.Length - 4, 0xFFFFFFFF);
        Assert.Contains("empty", Fails(b));
    }

    [Theory]
    [InlineData(0x0002, "Microsoft ADPCM")]
    [InlineData(0x0011, "IMA ADPCM")]
    [InlineData(0x0055, "MP3")]
    [InlineData(0x1234, "unknown codec")]
    public void UnsupportedCodecsAreNamed(int tag, string name)
    {
        var reason = Fails(WithFmt(w => w.U16(0, tag)));
        Assert.Contains("unsupported codec", reason);
        Assert.Contains(name, reason);
    }

    [Fact]
    public void ExtensibleWithUnknownGuid()
    {
        var fmt = TestAudio.Fmt(1, 1, 8000, 16, false, extensible: true);
        fmt[30] = 0x42;
        Assert.Contains("sub-format", Fails(TestAudio.WavChunks(false, ("fmt ", fmt), ("data", new byte[8]))));
    }

    [Fact] public void HtmlPageSavedAsWav() => Assert.Contains("HTML", Fails("<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>"u8.ToArray()));

    [Fact] public void Mp3SavedAsWav() => Assert.Contains("MP3", Fails([.. "ID3"u8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

    [Fact]
    public void RandomBytes()
    {
        var rng = new Random(7);
        for (int n = 0; n < 200; n++)
        {
            var b = new byte[rng.Next(0, 300)];
            rng.NextBytes(b);
            Fails(b);
        }
    }

    [Fact]
    public void BadAuHeaders()
    {
        var au = TestAudio.Au([[0.1f, 0.2f]], 8000, new SampleEncoding(SampleKind.PcmSigned, 16, true));
        Assert.Contains("truncated header", Fails(au[..20], "x.au"));
        var zeroCh = (byte[])au.Clone(); new TestAudio.Writer(zeroCh, true).U32(20, 0);
        Assert.Contains("0 channels", Fails(zeroCh, "x.au"));
        var zeroRate = (byte[])au.Clone(); new TestAudio.Writer(zeroRate, true).U32(16, 0);
        Assert.Contains("sample rate 0", Fails(zeroRate, "x.au"));
        var offset = (byte[])au.Clone(); new TestAudio.Writer(offset, true).U32(4, 0xFFFFFFF0);
        Assert.Contains("beyond the end", Fails(offset, "x.au"));
        Assert.Contains("not an AU file", Fails(new byte[40], "x.au"));
    }

    [Fact]
    public void MissingFileAndUnsupportedExtension()
    {
        var ex = Assert.Throws<AudioFormatException>(() => AudioFile.Read(Path.Combine(Path.GetTempPath(), "does-not-exist-" + Guid.NewGuid() + ".wav")));
        Assert.Contains("not found", ex.Message);
        var m4a = Assert.Throws<AudioFormatException>(() => AudioFile.Read("song.m4a"));
        Assert.Contains("M4A files are not supported", m4a.Message);
    }
}
