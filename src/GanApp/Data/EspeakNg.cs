using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using GanAudio.App.Audio;

namespace GanAudio.App.Data;

/// <summary>One espeak-ng speaker: a voice (language + variant, e.g. <c>en-us+f3</c>) and its pitch (0–99), speed (words
/// per minute) and amplitude (0–200) settings.</summary>
public sealed record EspeakVoice(string Voice, int Pitch, int Speed, int Amplitude);

/// <summary>Runs the espeak-ng program (a separate process: <c>espeak-ng -v VOICE -p PITCH -s SPEED -a AMP -w out.wav TEXT</c>)
/// and reads its WAV with our reader.</summary>
public static class EspeakNg
{
    public const string Program = "espeak-ng";

    /// <summary>The line to show when espeak-ng cannot be run.</summary>
    public const string InstallHint = "espeak-ng not found: install it (apt-get install espeak-ng) and run again";

    /// <summary>Null when espeak-ng runs here, otherwise why not (for messages and test skips).</summary>
    public static string? Unavailable(string program = Program)
    {
        try
        {
            var r = Run(program, ["--version"], TimeSpan.FromSeconds(20));
            return r.ExitCode == 0 ? null : $"{Program} --version exited with {r.ExitCode}";
        }
        catch (Win32Exception)
        {
            return InstallHint;
        }
    }

    /// <summary>Speaks <paramref name="text"/> with <paramref name="voice"/>; returns the mono samples and their rate
    /// (espeak-ng writes 22050 Hz). A missing program or a failed run is a <see cref="DatasetException"/> with one line.</summary>
    public static (float[] Samples, int SampleRate) Speak(string text, EspeakVoice voice, string program = Program)
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"ganaudio-espeak-{Environment.ProcessId}-{Guid.NewGuid():N}.wav");
        try
        {
            var inv = CultureInfo.InvariantCulture;
            (int ExitCode, string Error) r;
            try
            {
                r = Run(program, ["-v", voice.Voice, "-p", voice.Pitch.ToString(inv), "-s", voice.Speed.ToString(inv), "-a", voice.Amplitude.ToString(inv),
                    "-w", tmp, text], TimeSpan.FromSeconds(60));
            }
            catch (Win32Exception)
            {
                throw new DatasetException(InstallHint);
            }
            if (r.ExitCode != 0 || !File.Exists(tmp))
                throw new DatasetException($"{Program} -v {voice.Voice} failed (exit {r.ExitCode}): {r.Error.Trim().Split('\n')[0]}");
            var audio = WavReader.Read(tmp);
            return (audio.ToMono(ChannelMode.Average), audio.SampleRate);
        }
        finally
        {
            try { File.Delete(tmp); } catch (IOException) { }
        }
    }

    private static (int ExitCode, string Error) Run(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new Win32Exception($"{program} did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeout))
        {
            p.Kill();
            throw new DatasetException($"{Program} took longer than {timeout.TotalSeconds:F0} s");
        }
        return (p.ExitCode, stderr.Result);
    }
}
