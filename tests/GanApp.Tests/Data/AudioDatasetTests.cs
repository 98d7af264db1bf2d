using GanAudio.App.Data;

namespace GanApp.Tests.Data;

public class AudioDatasetTests
{
    private static DatasetOptions Options(TempDir d) => new() { CacheDirectory = d["cache"] };

    private static (AudioDataset Ds, List<string> Log) Load(string root, DatasetOptions o)
    {
        var log = new List<string>();
        return (AudioDataset.Load(root, o, log.Add), log);
    }

    [Fact]
    public void UnreadableFilesAreSkippedWithOneWarningEachAndACount()
    {
        using var d = new TempDir();
        d.Wav("data/genres_original/a/a.00000.wav", 22050);
        d.Wav("data/genres_original/a/a.00001.wav", 11025);
        d.Bytes("data/genres_original/b/b.00000.wav", "<html></html>"u8.ToArray());
        d.Wav("data/genres_original/b/b.00001.wav", 22050, rate: 44100);
        var (ds, log) = Load(d["data"], Options(d) with { UseCache = false });
        Assert.Equal(["a", "b"], ds.Genres);
        Assert.Equal(3, ds.Clips.Count);
        Assert.Equal([16000, 8000, 8000], ds.Clips.Select(c => c.Samples.Length));
        Assert.Equal([0, 0, 1], ds.Clips.Select(c => c.Label));
        Assert.Single(ds.Skipped);
        Assert.Equal(2, log.Count);
        Assert.Contains("skipped genres_original/b/b.00000.wav: not a WAV file", log[0]);
        Assert.Equal("warning: 1 of 4 files were unreadable and skipped", log[1]);
    }

    [Fact]
    public void CacheIsReusedUntilAFileOrOptionChanges()
    {
        using var d = new TempDir();
        d.Wav("data/x/1.wav", 22050);
        string second = d.Wav("data/y/2.wav", 22050, freq: 880);
        d.Bytes("data/y/bad.wav", [1, 2, 3]);
        var o = Options(d);
        var (first, _) = Load(d["data"], o);
        Assert.False(first.FromCache);
        var (cached, log) = Load(d["data"], o);
        Assert.True(cached.FromCache);
        Assert.Equal(first.Clips.Select(c => c.Samples), cached.Clips.Select(c => c.Samples));
        Assert.Single(cached.Skipped);
        Assert.Contains(log, l => l.Contains("skipped y/bad.wav"));

        File.SetLastWriteTimeUtc(second, DateTime.UtcNow.AddMinutes(5));
        var (afterTouch, touchLog) = Load(d["data"], o);
        Assert.False(afterTouch.FromCache);
        Assert.Contains(touchLog, l => l.Contains("y/2.wav changed"));
        Assert.True(Load(d["data"], o).Ds.FromCache);

        var (other, _) = Load(d["data"], o with { SampleRate = 8000 });
        Assert.False(other.FromCache);
        Assert.Equal(8000, other.SampleRate);
        Assert.Equal(8000, other.Clips[0].Samples.Length);
        Assert.True(Load(d["data"], o).Ds.FromCache); // the 16 kHz cache is still there

        d.Wav("data/y/3.wav", 100);
        Assert.False(Load(d["data"], o).Ds.FromCache);
        Assert.Equal(2, Directory.GetFiles(d["cache"]).Length); // no temporaries left
    }

    [Fact]
    public void DamagedCacheIsRebuilt()
    {
        using var d = new TempDir();
        d.Wav("data/x/1.wav", 22050);
        var o = Options(d);
        Load(d["data"], o);
        string cache = Directory.GetFiles(d["cache"]).Single();
        using (var f = File.OpenWrite(cache)) f.SetLength(f.Length - 10);
        var (ds, log) = Load(d["data"], o);
        Assert.False(ds.FromCache);
        Assert.Contains(log, l => l.Contains("rebuilding"));
        Assert.True(Load(d["data"], o).Ds.FromCache);
    }

    [Fact]
    public void NothingReadableIsAnError()
    {
        using var d = new TempDir();
        d.Bytes("data/a.wav", [0]);
        var ex = Assert.Throws<DatasetException>(() => AudioDataset.Load(d["data"], Options(d)));
        Assert.Contains("none of the 1 audio files", ex.Message);
    }
}
