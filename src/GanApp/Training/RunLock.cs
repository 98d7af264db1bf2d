using System.Diagnostics;
using System.Globalization;

namespace GanAudio.App.Training;

/// <summary>An exclusive lock on a run folder for every command that writes into it (train, generate into the run,
/// eval, report). The OS holds the lock (<c>.lock</c> opened with <see cref="FileShare.None"/>: flock on Unix), so it
/// goes away with the process however it ends; <c>.lock.owner</c> names the holder (pid and command) for the message
/// a second process gets, and is left behind only by a crash, which the next holder reports as a stale lock taken over.</summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream stream;
    private readonly string ownerPath;

    private RunLock(FileStream stream, string ownerPath)
    {
        this.stream = stream;
        this.ownerPath = ownerPath;
    }

    public static string LockPath(string root) => Path.Combine(root, ".lock");

    public static string OwnerPath(string root) => Path.Combine(root, ".lock.owner");

    /// <summary>Takes the lock or throws <see cref="UsageException"/> naming the process that holds it.</summary>
    public static RunLock Acquire(string root, string command, TextWriter? log = null)
    {
        log ??= Console.Error;
        if (File.Exists(root)) throw new UsageException($"{root} is a file, not a run folder; give a folder path");
        FileStream fs;
        try
        {
            Directory.CreateDirectory(root);
            fs = new FileStream(LockPath(root), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{root}: cannot write into this folder (permission denied); choose another folder");
        }
        catch (IOException e) when (Directory.Exists(root) && File.Exists(LockPath(root)) && !Nn.Checkpoints.AtomicFile.IsDiskFull(e))
        {
            throw new UsageException($"{root} is in use by {Describe(ReadOwner(root))}; wait for it to finish or use another folder");
        }
        catch (IOException e)
        {
            throw new IOException($"{root}: cannot create the run folder's lock ({e.Message})", e);
        }
        var owner = OwnerPath(root);
        var previous = ReadOwner(root);
        if (previous is { Pid: var pid } && pid != Environment.ProcessId)
            log.WriteLine($"note: taking over the stale lock of {Describe(previous)}, which is {(IsAlive(pid) ? "no longer holding it" : "no longer running")}");
        try
        {
            Nn.Checkpoints.AtomicFile.WriteAllText(owner, string.Create(CultureInfo.InvariantCulture,
                $"{Environment.ProcessId} {command} {DateTime.UtcNow:O}\n"));
        }
        catch
        {
            fs.Dispose();
            throw;
        }
        return new RunLock(fs, owner);
    }

    private sealed record Owner(int Pid, string Command);

    private static Owner? ReadOwner(string root)
    {
        try
        {
            var parts = File.ReadAllText(OwnerPath(root)).Split(' ', 3, StringSplitOptions.TrimEntries);
            return parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? new Owner(pid, parts[1]) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(Owner? o) => o is null ? "another GanApp process" : $"GanApp {o.Command} (pid {o.Pid})";

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(ownerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        stream.Dispose();
    }
}
