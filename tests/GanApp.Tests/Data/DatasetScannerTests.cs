using GanAudio.App.Audio;
using GanAudio.App.Data;
using GanApp.Tests.Audio;

namespace GanApp.Tests.Data;

public class DatasetScannerTests
{
    [Fact]
    public void GtzanKaggleLayoutWithHiddenAndMacFilesIgnored()
    {
        using var d = new TempDir();
        d.Wav("genres_original/rock/rock.00000.wav", 100);
        d.Wav("genres_original/blues/blues.00000.wav", 100);
        d.Wav("genres_original/blues/blues.00001.wav", 100);
        d.Bytes("genres_original/blues/._blues.00001.wav", [1, 2, 3]);
        d.Bytes("genres_original/.hidden/x.wav", [1, 2, 3]);
        d.Bytes("genres_original/blues/notes.txt", [1]);
        d.Bytes("features_30_sec.csv", [1]);
        var scan = DatasetScanner.Scan(d.Path);
        Assert.Equal(["blues", "rock"], scan.Genres);
        Assert.Equal(["genres_original/blues/blues.00000.wav", "genres_original/blues/blues.00001.wav", "genres_original/rock/rock.00000.wav"], scan.Files.Select(f => f.RelativePath));
        Assert.Equal(1, scan.LabelOf("rock"));
    }

    [Fact]
    public void OriginalReleaseAuLayout()
    {
        using var d = new TempDir();
        d.Bytes("genres/jazz/jazz.00000.au", TestAudio.Au([TestAudio.Sine(50, 300, 22050)], 22050, new SampleEncoding(SampleKind.PcmSigned, 16, true)));
        var scan = DatasetScanner.Scan(d.Path);
        Assert.Equal(["jazz"], scan.Genres);
        Assert.EndsWith("genres", scan.GenreRoot);
    }

    [Fact]
    public void AnyFolderRecursivelyWithRootFilesNamedAfterTheFolder()
    {
        using var d = new TempDir();
        d.Wav("a.wav", 10);
        d.Wav("birds/deep/b.wav", 10);
        d.Bytes("song.mp3", [0xFF, 0xFB, 0, 0]);
        var scan = DatasetScanner.Scan(d.Path);
        Assert.Equal(3, scan.Files.Count);
        Assert.Contains("birds", scan.Genres);
        Assert.Contains(System.IO.Path.GetFileName(d.Path), scan.Genres);
    }

    [Fact]
    public void GenreFilterIsCaseInsensitiveAndUnknownGenresAreUsageErrors()
    {
        using var d = new TempDir();
        d.Wav("genres_original/rock/r.wav", 10);
        d.Wav("genres_original/pop/p.wav", 10);
        d.Wav("genres_original/jazz/j.wav", 10);
        var scan = DatasetScanner.Scan(d.Path, ["Rock", "jazz"]);
        Assert.Equal(["jazz", "rock"], scan.Genres);
        Assert.Equal(2, scan.Files.Count);
        var ex = Assert.Throws<DatasetException>(() => DatasetScanner.Scan(d.Path, ["metal"]));
        Assert.True(ex.IsUsageError);
        Assert.Contains("available: jazz, pop, rock", ex.Message);
    }

    [Fact]
    public void MissingOrEmptyFolderIsOneClearError()
    {
        using var d = new TempDir();
        Assert.Contains("no audio files", Assert.Throws<DatasetException>(() => DatasetScanner.Scan(d.Path)).Message);
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => DatasetScanner.Scan(d["nope"])).Message);
    }
}
