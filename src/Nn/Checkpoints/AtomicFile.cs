namespace GanAudio.Nn.Checkpoints;

/// <summary>Writes a file so that readers see either the old content or the complete new content: the data goes to a
/// temporary file in the same folder, is flushed to disk, then renamed over the target.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try
            {
                File.Delete(tmp);
            }
            catch (Exception de) when (de is IOException or UnauthorizedAccessException)
            {
            }
            // the user knows the target, not our temporary name
            if (e is UnauthorizedAccessException) throw new UnauthorizedAccessException($"cannot write {full}: permission denied", e);
            if (e is IOException && e.Message.Contains(tmp, StringComparison.Ordinal))
                throw new IOException($"cannot write {full}: {e.Message.Replace(tmp, full)}", e) { HResult = e.HResult };
            throw;
        }
    }

    /// <summary>Temporary files this class writes (<c>.NAME.PID.GUID.tmp</c>); a crash can leave them behind.</summary>
    public static bool IsTemporaryName(string fileName) =>
        System.Text.RegularExpressions.Regex.IsMatch(fileName, @"^\..+\.[0-9]+\.[0-9a-f]{32}\.tmp$");

    /// <summary>True for the "no space left on device" error (ENOSPC on Unix, ERROR_DISK_FULL on Windows).</summary>
    public static bool IsDiskFull(Exception e) =>
        e is IOException && ((e.HResult & 0xFFFF) is 28 or 112) || (e.InnerException is { } inner && IsDiskFull(inner));

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            s.Write(bytes);
        });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
