using System.Diagnostics;
using GanAudio.App.Audio;
using GanApp.Tests.Data;

namespace GanApp.Tests.Audio;

/// <summary>
/// MP3 (lame), Ogg Vorbis (oggenc) and FLAC (flac) files made here from a WAV, decoded and compared with it.
/// Tolerances: alignment exact (best cross-correlation lag 0) and the same length for all three (LAME's gapless tag
/// is honoured); level: gain within 1 % for MP3/Vorbis; SNR at least 30 dB for MP3 -V 2 and 25 dB for Vorbis -q 4;
/// FLAC bit-exact. Skipped with the reason when the encoder program is missing.
/// </summary>
public class CompressedFormatTests
{
    private const int Rate = 22050;

    private static float[][] Source()
    {
        int n = Rate * 3 / 2;
        var l = new float[n]; var r = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / Rate;
            double burst = (i / 2000) % 2 == 0 ? 1 : 0.3;
            l[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * t) + 0.2 * burst * Math.Sin(2 * Math.PI * 1234.5 * t));
            r[i] = (float)(0.4 * Math.Sin(2 * Math.PI * 660 * t) * burst);
        }
        return [l, r];
    }

    private static string MakeWav(TempDir d)
    {
        string p = d["src.wav"];
        File.WriteAllBytes(p, TestAudio.Wav(Source(), Rate, new SampleEncoding(SampleKind.PcmSigned, 16, false)));
        return p;
    }

    internal static void Encode(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process? p;
        try { p = Process.Start(psi); }
        catch (System.ComponentModel.Win32Exception) { p = null; }
        Assert.SkipWhen(p is null, $"'{tool}' is not installed (Debian: apt-get install {(tool == "oggenc" ? "vorbis-tools" : tool)}; .ci/install-audio-tools.sh)");
        using (p)
        {
            string err = p!.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{tool} failed: {err}");
        }
    }

    private static (int Lag, double Gain, double SnrDb) Compare(float[] reference, float[] decoded)
    {
        int best = 0; double bestCorr = double.NegativeInfinity;
        for (int lag = -1500; lag <= 1500; lag++)
        {
            double s = 0;
            for (int i = 2000; i < reference.Length - 2000; i += 3) s += reference[i] * decoded[i + lag];
            if (s > bestCorr) { bestCorr = s; best = lag; }
        }
        int from = Math.Max(0, -best), to = Math.Min(reference.Length, decoded.Length - best);
        double num = 0, pow = 0;
        for (int i = from; i < to; i++) { num += reference[i] * (double)decoded[i + best]; pow += reference[i] * (double)reference[i]; }
        double gain = num / pow, err = 0;
        for (int i = from; i < to; i++) { double e = decoded[i + best] - gain * reference[i]; err += e * e; }
        return (best, gain, 10 * Math.Log10(gain * gain * pow / err));
    }

    private static void AssertClose(AudioData wav, AudioData dec, double minSnr)
    {
        Assert.Equal(wav.SampleRate, dec.SampleRate);
        Assert.Equal(wav.ChannelCount, dec.ChannelCount);
        Assert.True(wav.Frames == dec.Frames, $"{wav.Frames} source frames, {dec.Frames} decoded");
        for (int c = 0; c < wav.ChannelCount; c++)
        {
            var (lag, gain, snr) = Compare(wav.Channels[c], dec.Channels[c]);
            Assert.True(lag == 0 && Math.Abs(gain - 1) < 0.01 && snr >= minSnr, $"channel {c}: lag {lag}, gain {gain:F4}, SNR {snr:F1} dB (want 0, 1 ± 0.01, >= {minSnr} dB)");
        }
    }

    [Fact]
    public void Mp3DecodesToTheSourceLengthAlignmentAndLevel()
    {
        using var d = new TempDir();
        string wav = MakeWav(d), mp3 = d["a.mp3"];
        Encode("lame", "--quiet", "-V", "2", "--add-id3v2", "--tt", "test title", wav, mp3);
        var a = AudioFile.Read(mp3);
        AssertClose(AudioFile.Read(wav), a, 30);
        Assert.Equal("MP3", a.Codec);
        Assert.StartsWith("MP3 MPEG-2 Layer III", a.Format);
    }

    [Fact]
    public void Mp3WithoutTheGaplessTagKeepsLamesEncoderDelay()
    {
        using var d = new TempDir();
        string wav = MakeWav(d), mp3 = d["notag.mp3"];
        Encode("lame", "--quiet", "-t", "-b", "160", wav, mp3);
        var src = AudioFile.Read(wav);
        var a = AudioFile.Read(mp3);
        var (lag, gain, _) = Compare(src.Channels[0], a.Channels[0]);
        Assert.Equal(576, lag); // documented: without the Info/LAME tag only the decoder's 529 samples are dropped
        Assert.True(gain is > 0.9 and < 1.01, $"gain {gain}");
    }

    [Fact]
    public void OggVorbisDecodesToTheSourceLengthAlignmentAndLevel()
    {
        using var d = new TempDir();
        string wav = MakeWav(d), ogg = d["a.ogg"];
        Encode("oggenc", "-Q", "-q", "4", wav, "-o", ogg);
        var a = AudioFile.Read(ogg);
        AssertClose(AudioFile.Read(wav), a, 25);
        Assert.Equal("Ogg Vorbis", a.Codec);
    }

    [Fact]
    public void FlacDecodesBitExactly()
    {
        using var d = new TempDir();
        string wav = MakeWav(d), flac = d["a.flac"];
        Encode("flac", "-s", "-f", wav, "-o", flac);
        var src = AudioFile.Read(wav);
        var a = AudioFile.Read(flac);
        Assert.Equal(src.Frames, a.Frames);
        for (int c = 0; c < 2; c++) Assert.Equal(src.Channels[c], a.Channels[c]);
        Assert.Equal("FLAC 16-bit, via flac", a.Format);
        var viaBytes = AudioFile.Decode(File.ReadAllBytes(flac), null);
        Assert.Equal(src.Channels[1], viaBytes.Channels[1]);
    }

    [Fact]
    public void FlacWithoutADecoderProgramSaysHowToConvert()
    {
        using var d = new TempDir();
        string flac = d["a.flac"];
        Encode("flac", "-s", "-f", MakeWav(d), "-o", flac);
        var saved = FlacDecoder.Programs;
        try
        {
            FlacDecoder.Programs = ["no-such-flac-program"];
            var e = Assert.Throws<AudioFormatException>(() => AudioFile.Read(flac));
            Assert.Equal($"{flac}: FLAC needs the 'flac' or 'ffmpeg' program on the PATH (Debian/Ubuntu: apt-get install flac), or convert to WAV first: flac -d file.flac", e.Message);
        }
        finally { FlacDecoder.Programs = saved; }
    }

    [Fact]
    public void FlacThroughFfmpegMatchesTheSource()
    {
        using var d = new TempDir();
        string flac = d["a.flac"], wav = MakeWav(d);
        Encode("flac", "-s", "-f", wav, "-o", flac);
        var saved = FlacDecoder.Programs;
        try
        {
            FlacDecoder.Programs = ["ffmpeg"];
            Assert.SkipWhen(FlacDecoder.Program is null, "'ffmpeg' is not installed (optional: the flac program is preferred)");
            var a = AudioFile.Read(flac);
            Assert.Equal(AudioFile.Read(wav).Channels[0], a.Channels[0]);
        }
        finally { FlacDecoder.Programs = saved; }
    }

    [Fact]
    public void DamagedCompressedFilesAreOneLineErrors()
    {
        Assert.Contains("no MPEG audio frame", Assert.Throws<AudioFormatException>(() => AudioFile.Decode("ID3\u0003\0\0\0\0\0\0xxxxxxxx"u8.ToArray(), "x.mp3")).Message);
        Assert.Contains("without a Vorbis stream", Assert.Throws<AudioFormatException>(() => AudioFile.Decode("OggS\0\u0002aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"u8.ToArray(), "x.ogg")).Message);
        Assert.Contains("Ogg Opus is not supported", Assert.Throws<AudioFormatException>(() => AudioFile.Decode("OggS\0\u0002aaaaaaaaaaaaaaaaaaaaaaaaaOpusHead"u8.ToArray(), "x.ogg")).Message);
        Assert.Contains("STREAMINFO", Assert.Throws<AudioFormatException>(() => AudioFile.Decode("fLaC\u0080\0\0\u0001"u8.ToArray(), "x.flac")).Message);
    }
}
