using System.Globalization;
using GanAudio.App.Training;

namespace GanAudio.App.Cli;

/// <summary>Where <c>generate</c> writes: a new numbered folder <c>&lt;run&gt;/generated/NNN</c> by default, so no call
/// overwrites the clips of an earlier one; an <c>--out</c> folder that already holds WAV files only with <c>--force</c>.</summary>
public static class GenerateOutput
{
    public static string Choose(RunFolder run, string? outDir, bool force)
    {
        if (outDir is not null)
        {
            if (File.Exists(outDir)) throw new UsageException($"--out {outDir} is a file; give a folder for the clips");
            if (!force && Directory.Exists(outDir) && Directory.EnumerateFiles(outDir, "*.wav").Any())
                throw new UsageException($"--out {outDir} already holds clips; add --force to overwrite them, or choose another --out");
            return Path.GetFullPath(outDir);
        }
        var parent = Path.Combine(run.Root, "generated");
        int next = 1;
        if (Directory.Exists(parent))
            foreach (var d in Directory.EnumerateDirectories(parent))
                if (int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int k)) next = Math.Max(next, k + 1);
        return Path.Combine(parent, next.ToString("D3", CultureInfo.InvariantCulture));
    }

    public static bool IsInside(string path, string root)
    {
        var rel = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(path));
        return rel == "." || !(rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel));
    }
}
