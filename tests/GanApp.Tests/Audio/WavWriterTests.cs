using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

public class WavWriterTests
{
    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 1)]
    [InlineData(WavSampleFormat.Pcm16, 2)]
    [InlineData(WavSampleFormat.Float32, 1)]
    [InlineData(WavSampleFormat.Float32, 2)]
    public void WrittenFilesReadBack(WavSampleFormat format, int channels)
    {
        var dir = Directory.CreateTempSubdirectory("ganaudio-wav-");
        try
        {
            var ch = Enumerable.Range(0, channels).Select(c => TestAudio.Sine(1001, 220 * (c + 1), 16000, 0.7)).ToArray();
            string path = Path.Combine(dir.FullName, "sub", "x.wav");
            WavWriter.Write(path, ch, 16000, format);
            var audio = AudioFile.Read(path);
            Assert.Equal(channels, audio.ChannelCount);
            Assert.Equal(16000, audio.SampleRate);
            Assert.Equal(format == WavSampleFormat.Pcm16 ? "PCM 16-bit" : "float 32-bit", audio.Encoding.Describe());
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < 1001; i++)
                    Assert.True(Math.Abs(audio.Channels[c][i] - ch[c][i]) <= (format == WavSampleFormat.Pcm16 ? 0.5 / 32768 + 1e-9 : 0));
            Assert.Single(Directory.GetFiles(Path.Combine(dir.FullName, "sub"))); // no temporary left behind
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Pcm16ClipsAndIsExactForMultiplesOf1Over32768()
    {
        Assert.Equal(short.MaxValue, WavWriter.ToPcm16(1.5f));
        Assert.Equal(short.MinValue, WavWriter.ToPcm16(-1f));
        Assert.Equal((short)0, WavWriter.ToPcm16(float.NaN));
        var x = new[] { -1f, 0.5f, 3 / 32768f, 0f };
        Assert.Equal(x, WavReader.Read(WavWriter.Encode([x], 8000)).Channels[0]);
    }

    [Fact]
    public void OddLengthDataIsPadded()
    {
        var bytes = WavWriter.Encode([[0.1f]], 8000, WavSampleFormat.Pcm16);
        Assert.Equal(0, bytes.Length % 2);
        Assert.Equal(1, WavReader.Read(bytes).Frames);
    }
}
