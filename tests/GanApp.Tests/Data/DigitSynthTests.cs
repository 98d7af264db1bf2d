using GanAudio.App.Audio;
using GanAudio.App.Data;
using GanAudio.App.Evaluation;

namespace GanApp.Tests.Data;

public class DigitSynthTests
{
    [Fact]
    public void SynthWritesOneFolderPerWordWithWholePeakNormalisedClips()
    {
        Espeak.Require();
        using var dir = new TempDir();
        var o = new DigitSynthOptions { Voices = 3, Seed = 4 };
        Assert.Equal(30, DigitSynth.Write(dir.Path, o));
        Assert.Equal(DigitSynth.Words.OrderBy(w => w, StringComparer.Ordinal), Directory.GetDirectories(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var csv = File.ReadAllLines(dir["labels.csv"]);
        Assert.Equal("file,word,voice,espeak_voice,pitch,speed,amplitude,onset_s", csv[0]);
        Assert.Equal(31, csv.Length);
        foreach (var line in csv.Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal($"{f[1]}/{f[2]}_nohash_0.wav", f[0]); // the word's folder, the voice in the name
            var audio = WavReader.Read(dir[f[0]]);
            Assert.Equal(16000, audio.SampleRate);
            var x = audio.Channels[0];
            Assert.Equal(16384, x.Length);
            Assert.InRange(x.Max(Math.Abs), 0.895, 0.905); // peak-normalised to 0.9
            var (from, to) = DigitSynth.WordExtent(x, 16000);
            Assert.True(from >= 1600 && to <= 16384 - 800, $"{f[0]}: word at {from}..{to} is not placed inside the clip with silence around it");
            double centre = (from + to) / 2.0;
            Assert.InRange(centre, 16384 * 0.3, 16384 * 0.7); // roughly centred
        }
        var again = new TempDir();
        using (again)
        {
            DigitSynth.Write(again.Path, o);
            Assert.Equal(File.ReadAllBytes(dir["seven/voice01_nohash_0.wav"]), File.ReadAllBytes(again["seven/voice01_nohash_0.wav"])); // seeded
        }
        // the files load as a dataset of ten classes, grouped by voice
        var ds = ClipGroups.Assign(AudioDataset.Load(dir.Path, new DatasetOptions { UseCache = false }), dir.Path, out string how);
        Assert.Equal(10, ds.Genres.Count);
        Assert.Contains("voice", how);
        Assert.Equal(["voice00", "voice01", "voice02"], ds.Clips.Select(c => c.Group).Distinct().Order());
    }

    [Fact]
    public void VoicesAreDistinctAndSeeded()
    {
        var a = DigitSynth.Speakers(30, 1);
        Assert.Equal(30, a.Select(s => s.Voice.Voice).Distinct().Count());
        Assert.Equal(a, DigitSynth.Speakers(30, 1));
        Assert.NotEqual(a, DigitSynth.Speakers(30, 2));
        Assert.All(a, s => Assert.InRange(s.Voice.Pitch, 20, 80));
        Assert.Throws<DatasetException>(() => DigitSynth.Speakers(DigitSynth.MaxVoices + 1, 1));
    }

    [Fact]
    public void PlacementTrimsSilenceCentresTheWordAndNormalisesThePeak()
    {
        // 0.3 s of silence, a 0.4 s burst, 0.5 s of silence at 16 kHz
        var x = new float[19200];
        for (int i = 4800; i < 11200; i++) x[i] = 0.2f * MathF.Sin(i * 0.3f);
        Assert.Equal((4800, 11200), DigitSynth.WordExtent(x, 16000));
        for (ulong seed = 0; seed < 20; seed++)
        {
            var rng = new SeededRandom(seed);
            var y = DigitSynth.Place(x, 16384, 16000, 0.9, ref rng, out int start);
            Assert.Equal(16384, y.Length);
            int spare = 16384 - 6400;
            Assert.InRange(start, spare / 4, 3 * spare / 4 + 1);
            var (from, to) = DigitSynth.WordExtent(y, 16000); // whole 10 ms frames: up to 160 samples of silence either side
            Assert.InRange(from, start - 159, start);
            Assert.InRange(to, start + 6400, start + 6400 + 159);
            Assert.Equal(0f, y[..Math.Max(0, start - 1)].Max(Math.Abs));
            Assert.Equal(0.9f, y.Max(Math.Abs), 3);
        }
        var longWord = Enumerable.Range(0, 20000).Select(i => MathF.Sin(i * 0.1f)).ToArray();
        var r = new SeededRandom(1);
        Assert.Equal(16384, DigitSynth.Place(longWord, 16384, 16000, 0.9, ref r, out int s0).Length);
        Assert.Equal(0, s0); // a word longer than the clip keeps its start
    }

    [Fact]
    public void MissingEspeakIsOneLineSayingHowToInstallIt()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DatasetException>(() => DigitSynth.Write(dir.Path, new DigitSynthOptions { Voices = 2, Program = "/nonexistent/espeak-ng" }));
        Assert.Equal(EspeakNg.InstallHint, e.Message);
        Assert.False(e.IsUsageError); // a runtime failure: exit code 1
        Assert.Contains("apt-get install espeak-ng", e.Message);
    }
}
