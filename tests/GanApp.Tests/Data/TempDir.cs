using GanAudio.App.Audio;
using GanApp.Tests.Audio;

namespace GanApp.Tests.Data;

/// <summary>A temporary folder deleted on dispose, with helpers that write test audio into it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("ganaudio-test-").FullName;

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>A 16-bit mono WAV of a sine with the given length in samples.</summary>
    public string Wav(string relative, int samples, int rate = 22050, double freq = 440, double amp = 0.5)
    {
        WavWriter.Write(this[relative], TestAudio.Sine(samples, freq, rate, amp), rate);
        return this[relative];
    }

    public string Bytes(string relative, byte[] bytes)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(this[relative])!);
        File.WriteAllBytes(this[relative], bytes);
        return this[relative];
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
