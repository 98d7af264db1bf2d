using System.Diagnostics;

namespace GanAudio.App.Audio;

/// <summary>
/// FLAC (native or in Ogg): no managed FLAC decoder is served by our package source, so the <c>flac</c> program
/// (preferred) or <c>ffmpeg</c> decodes to a temporary WAV that our WAV reader reads; without either, one line says
/// how to install one or convert the file. STREAMINFO gives the bit depth shown by <c>data inspect</c>.
/// </summary>
internal static class FlacDecoder
{
    /// <summary>Programs tried in order; tests replace it to simulate a machine without them.</summary>
    internal static IReadOnlyList<string> Programs { get; set; } = ["flac", "ffmpeg"];

    /// <summary>The program that will decode FLAC here, or null.</summary>
    public static string? Program => Programs.Select(FindOnPath).FirstOrDefault(p => p is not null);

    public static AudioData Decode(byte[] bytes, string? path, bool ogg = false)
    {
        int bits = ogg ? 0 : StreamInfoBits(bytes, path);
        string exe = Program ?? throw AudioFormatException.Create(path,
            "FLAC needs the 'flac' or 'ffmpeg' program on the PATH (Debian/Ubuntu: apt-get install flac), or convert to WAV first: flac -d file.flac");
        string tmp = Path.Combine(Path.GetTempPath(), $"ganaudio-{Guid.NewGuid():N}");
        string input = path is not null && File.Exists(path) ? path : tmp + (ogg ? ".oga" : ".flac");
        string output = tmp + ".wav";
        try
        {
            if (input != path) File.WriteAllBytes(input, bytes);
            bool isFlac = Path.GetFileNameWithoutExtension(exe).Equals("flac", StringComparison.OrdinalIgnoreCase);
            string[] args = isFlac
                ? ["-d", "-s", "-f", .. (ogg ? new[] { "--ogg" } : []), "-o", output, "--", input]
                : ["-nostdin", "-v", "error", "-y", "-i", input, "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "wav", output];
            string error = Run(exe, args);
            if (!File.Exists(output)) throw AudioFormatException.Create(path, $"FLAC decoding failed ({Path.GetFileName(exe)}): {error}");
            var wav = WavReader.Read(File.ReadAllBytes(output), path);
            return new AudioData(wav.Channels, wav.SampleRate, wav.Encoding, ogg ? "Ogg" : "FLAC", wav.Warnings, codec: "FLAC",
                detail: (bits > 0 ? $"{bits}-bit" : wav.Encoding.Describe()) + $", via {Path.GetFileName(exe)}");
        }
        finally
        {
            if (input != path) TryDelete(input);
            TryDelete(output);
        }
    }

    /// <summary>Bits per sample from the STREAMINFO block (the first metadata block after "fLaC").</summary>
    private static int StreamInfoBits(byte[] b, string? path)
    {
        if (b.Length < 8 + 34 || (b[4] & 0x7F) != 0) throw AudioFormatException.Create(path, "truncated FLAC header: no STREAMINFO block");
        int rate = b[18] << 12 | b[19] << 4 | b[20] >> 4;
        if (rate == 0) throw AudioFormatException.Create(path, "FLAC STREAMINFO says sample rate 0");
        return ((b[20] & 1) << 4 | b[21] >> 4) + 1;
    }

    private static string Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new AudioFormatException($"could not start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        _ = stdout.Result;
        var line = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {p.ExitCode}";
        return p.ExitCode == 0 ? "" : line;
    }

    private static string? FindOnPath(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] names = OperatingSystem.IsWindows() ? [name + ".exe"] : [name];
        foreach (var d in dirs)
            foreach (var n in names)
            {
                var full = Path.Combine(d, n);
                if (File.Exists(full)) return full;
            }
        return null;
    }

    private static void TryDelete(string f)
    {
        try { File.Delete(f); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
