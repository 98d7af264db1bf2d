using System.CommandLine;
using GanAudio.App.Audio;
using GanAudio.App.Cli;
using GanApp.Tests.Audio;
using GanApp.Tests.Data;

namespace GanApp.Tests.Cli;

public class DataCommandTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Options.Add(CliApp.Verbose);
        root.Subcommands.Add(DataCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>shared/data/gtzan-mini beside the repository (../shared from the repo root; ../../shared from a worktree).</summary>
    internal static string? GtzanMini()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GanAudio.sln"))) dir = dir.Parent;
        if (dir is null) return null;
        return new[] { "../shared/data/gtzan-mini", "../../shared/data/gtzan-mini" }
            .Select(p => Path.GetFullPath(Path.Combine(dir.FullName, p)))
            .FirstOrDefault(Directory.Exists);
    }

    [Fact]
    public void InspectGtzanMiniReportsTwoGenresOfSixThirtySecondClips()
    {
        var mini = GtzanMini();
        Assert.SkipWhen(mini is null, "shared/data/gtzan-mini not found beside the repository");
        var (code, output, err) = Run("data", "inspect", mini!);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var classical = output.Split('\n').Single(l => l.StartsWith("classical"));
        Assert.Matches(@"^classical\s+6\s+0\s+30\.0 / 30\.0 / 30\.0\s+3:00\.0\s+22050 Hz\s+mono\s+WAV PCM 16-bit", classical);
        Assert.Matches(@"(?m)^metal\s+6\s+0\s+30\.0 / 30\.0 / 30\.0", output);
        Assert.Contains("2 genre(s), 12 readable file(s), 0 unreadable, 6:00.0 of audio", output);
    }

    [Fact]
    public void InspectCopyWithACorruptedFileListsItAndLoadsTheRest()
    {
        var mini = GtzanMini();
        Assert.SkipWhen(mini is null, "shared/data/gtzan-mini not found beside the repository");
        using var d = new TempDir();
        foreach (var f in Directory.GetFiles(mini!, "*.wav", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(mini!, f);
            Directory.CreateDirectory(Path.GetDirectoryName(d[rel])!);
            File.Copy(f, d[rel]);
        }
        var bytes = File.ReadAllBytes(d["genres_original/metal/metal.00000.wav"]);
        d.Bytes("genres_original/metal/metal.00006.wav", bytes[..40]);
        var (code, output, _) = Run("data", "inspect", d.Path);
        Assert.Equal(0, code);
        Assert.Contains("genres_original/metal/metal.00006.wav: ", output);
        Assert.Matches(@"(?m)^metal\s+7\s+1\s+30\.0", output);
        Assert.Contains("2 genre(s), 12 readable file(s), 1 unreadable", output);
    }

    [Fact]
    public void InspectMixedFormatsAndUnreadableFiles()
    {
        using var d = new TempDir();
        d.Bytes("genres_original/a/a.00000.wav", TestAudio.Wav([TestAudio.Sine(44100, 440, 44100), TestAudio.Sine(44100, 440, 44100)], 44100, new SampleEncoding(SampleKind.Float, 32, false)));
        d.Bytes("genres_original/a/a.00001.au", TestAudio.Au([TestAudio.Sine(16000, 440, 8000)], 8000, new SampleEncoding(SampleKind.MuLaw, 8, true)));
        d.Bytes("genres_original/b/b.00000.wav", "<!DOCTYPE html><html></html>"u8.ToArray());
        d.Bytes("genres_original/b/b.00001.wav", TestAudio.WavChunks(false, ("fmt ", TestAudio.Fmt(2, 1, 8000, 4, false, blockAlign: 256)), ("data", new byte[512])));
        d.Bytes("genres_original/b/._b.00001.wav", [0, 5, 22]);
        var (code, output, _) = Run("data", "inspect", d.Path, "--files");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^a\s+2\s+0\s+1\.0 / 1\.5 / 2\.0\s+0:03\.0\s+8000, 44100 Hz\s+mono, stereo\s+AU μ-law 8-bit, WAV float 32-bit", output);
        Assert.Matches(@"(?m)^b\s+2\s+2\s+-", output);
        Assert.Contains("b/b.00000.wav: not a WAV file: it looks like an HTML/XML page", output);
        Assert.Contains("b/b.00001.wav: unsupported codec: Microsoft ADPCM (format 0x0002)", output);
        Assert.DoesNotContain("._b", output);
        Assert.Contains("2 genre(s), 2 readable file(s), 2 unreadable", output);
    }

    [Fact]
    public void SynthWritesAToneSetThatInspectReads()
    {
        using var d = new TempDir();
        var (code, output, _) = Run("data", "synth", "--kind", "tones", "--out", d.Path, "--count", "2", "--seed", "3");
        Assert.Equal(0, code);
        Assert.Contains("wrote 16 tone clips", output);
        var inspect = Run("data", "inspect", d.Path);
        Assert.Matches(@"(?m)^p130\.81hz\s+2\s+0\s+1\.0 / 1\.0 / 1\.0\s+0:02\.0\s+16000 Hz", inspect.Out);
        Assert.Contains("8 genre(s), 16 readable file(s)", inspect.Out);
    }

    [Fact]
    public void PrepareBuildsTheCacheThenReusesIt()
    {
        using var d = new TempDir();
        d.Wav("data/genres_original/x/x.00000.wav", 22050 * 3);
        d.Wav("data/genres_original/y/y.00000.wav", 22050 * 2, freq: 220);
        d.Bytes("data/genres_original/y/y.00001.wav", [1, 2]);
        string[] args = ["data", "prepare", d["data"], "--cache-dir", d["cache"], "--segment-length", "16384", "--hop", "8000"];
        var first = Run(args);
        Assert.Equal(0, first.Code);
        Assert.Contains("2 clips at 16000 Hz", first.Out);
        Assert.Contains("decoded", first.Out);
        Assert.Contains("warning: skipped genres_original/y/y.00001.wav", first.Err);
        Assert.Contains("warning: 1 of 3 files were unreadable and skipped", first.Err);
        var second = Run(args);
        Assert.Contains("from the cache", second.Out);
        // x: 48000 samples → starts 0, 8000, 16000, 24000 and a padded 32000; y: 32000 → 0, 8000 and a padded 16000
        Assert.Contains("8 examples of 16384 samples", second.Out);
    }

    [Theory]
    [InlineData(2, "prepare", "{dir}", "--segment-length", "0")]
    [InlineData(2, "prepare", "{dir}", "--genres", "jazz")]
    [InlineData(2, "prepare", "{dir}", "--drop-silence", "10")]
    [InlineData(1, "inspect", "{dir}/missing")]
    [InlineData(1, "prepare", "{dir}/missing")]
    public void ErrorsAreOneLineWithTheRightExitCode(int expected, params string[] args)
    {
        using var d = new TempDir();
        d.Wav("genres_original/rock/rock.00000.wav", 1000);
        string[] cache = args[0] == "prepare" ? ["--cache-dir", d["cache"]] : [];
        var (code, _, err) = Run(["data", .. args.Select(a => a.Replace("{dir}", d.Path)), .. cache]);
        Assert.Equal(expected, code);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", err);
        var verbose = Run(["data", .. args.Select(a => a.Replace("{dir}", d.Path)), .. cache, "--verbose"]);
        Assert.Equal(expected, verbose.Code);
        Assert.Contains("   at ", verbose.Err);
    }
}
