using GanAudio.App.Audio;
using GanAudio.App.Data;
using GanApp.Tests.Audio;
using GanApp.Tests.Data;

namespace GanApp.Tests.Cli;

/// <summary>MP3, Ogg Vorbis and FLAC files in a dataset folder: `data inspect` shows their codecs, loading resamples them.</summary>
public class CompressedDataTests
{
    private static TempDir MakeFolder()
    {
        var d = new TempDir();
        string wav = d.Wav("src/tone.wav", 22050 * 2, 22050, 440, 0.5);
        Directory.CreateDirectory(d["genres_original/a"]);
        Directory.CreateDirectory(d["genres_original/b"]);
        CompressedFormatTests.Encode("lame", "--quiet", "-V", "2", wav, d["genres_original/a/a.00000.mp3"]);
        CompressedFormatTests.Encode("oggenc", "-Q", "-q", "4", wav, "-o", d["genres_original/a/a.00001.ogg"]);
        CompressedFormatTests.Encode("flac", "-s", "-f", wav, "-o", d["genres_original/b/b.00000.flac"]);
        File.Move(wav, d["genres_original/b/b.00001.wav"]);
        return d;
    }

    [Fact]
    public void InspectShowsTheCodecOfEveryFile()
    {
        using var d = MakeFolder();
        var (code, output, _) = DataCommandTests.Run("data", "inspect", d.Path, "--files");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^a\s+2\s+0\s+2\.0 / 2\.0 / 2\.0\s+0:04\.0\s+22050 Hz\s+mono\s+MP3 MPEG-2 Layer III, VBR/Info, Ogg Vorbis ", output);
        Assert.Matches(@"(?m)^b\s+2\s+0\s+.*FLAC 16-bit, via flac, WAV PCM 16-bit", output);
        Assert.Matches(@"(?m)^genres_original/a/a\.00000\.mp3\s+a\s+2\.00\s+22050\s+1\s+MP3 MPEG-2 Layer III", output);
        Assert.Contains("2 genre(s), 4 readable file(s), 0 unreadable", output);
    }

    [Fact]
    public void LoadingResamplesCompressedFilesLikeWav()
    {
        using var d = MakeFolder();
        var ds = AudioDataset.Load(d.Path, new DatasetOptions { SampleRate = 16000, UseCache = false });
        Assert.Equal(4, ds.Clips.Count);
        Assert.Empty(ds.Skipped);
        var wav = ds.Clips.Single(c => c.Source.EndsWith(".wav")).Samples;
        foreach (var c in ds.Clips)
        {
            Assert.Equal(32000, c.Samples.Length);
            double err = 0, pow = 0;
            for (int i = 0; i < wav.Length; i++) { double e = c.Samples[i] - wav[i]; err += e * e; pow += wav[i] * (double)wav[i]; }
            Assert.True(10 * Math.Log10(pow / err) > 25, $"{c.Source}: SNR {10 * Math.Log10(pow / err):F1} dB against the WAV after resampling");
        }
    }
}
