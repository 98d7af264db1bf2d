using GanAudio.App.Audio;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace GanAudio.App.Data;

/// <summary>
/// The preprocessing cache: a decoded, resampled dataset stored once in a binary file and reused while
/// nothing changed. The header records the root, the decoding options, and every source file's relative path,
/// size and modification time (and, for unreadable files, the reason); any difference means a rebuild.
/// Layout (little-endian): "GANAUDC1", version, header strings and records, then each clip's float32 samples.
/// Written to a temporary name and renamed.
/// </summary>
public static class DatasetCache
{
    private const string Magic = "GANAUDC1";
    private const int Version = 1;
    private const string ResamplerId = "kaiser-sinc-96dB-v1";

    /// <summary>$GANAUDIO_CACHE, else $XDG_CACHE_HOME/ganaudio, else ~/.cache/ganaudio (LocalApplicationData on Windows).</summary>
    public static string DefaultDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("GANAUDIO_CACHE") is { Length: > 0 } env) return env;
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "GanAudio", "cache");
            string xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
                ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(xdg, "ganaudio");
        }
    }

    /// <summary>The options that change decoded content, in canonical form.</summary>
    public static string OptionsKey(ScanResult scan, DatasetOptions o) =>
        $"rate={o.SampleRate};channels={o.Channels};genres={string.Join(",", scan.Genres)};resampler={ResamplerId};{AudioFile.DecoderId}";

    public static string PathFor(ScanResult scan, DatasetOptions o)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(scan.Root + "\n" + OptionsKey(scan, o)));
        string leaf = new(Path.GetFileName(scan.Root.TrimEnd(Path.DirectorySeparatorChar)).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return Path.Combine(o.CacheDirectory ?? DefaultDirectory, $"{leaf}-{o.SampleRate}hz-{Convert.ToHexString(hash, 0, 8).ToLowerInvariant()}.gacache");
    }

    /// <summary>The cached dataset, or null when there is none or it is stale or damaged (then it says why).</summary>
    public static AudioDataset? TryLoad(string path, ScanResult scan, DatasetOptions o, Action<string>? log)
    {
        if (!File.Exists(path) || !BitConverter.IsLittleEndian) return null;
        try
        {
            using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (Encoding.ASCII.GetString(r.ReadBytes(8)) != Magic || r.ReadInt32() != Version) return Stale(log, "unknown format");
            if (r.ReadString() != scan.Root || r.ReadString() != OptionsKey(scan, o)) return Stale(log, "options changed");
            int genres = r.ReadInt32();
            if (genres != scan.Genres.Count) return Stale(log, "genres changed");
            for (int g = 0; g < genres; g++) if (r.ReadString() != scan.Genres[g]) return Stale(log, "genres changed");
            int files = r.ReadInt32();
            if (files != scan.Files.Count) return Stale(log, "files added or removed");
            var lengths = new long[files];
            var skipped = new List<SkippedFile>();
            for (int i = 0; i < files; i++)
            {
                var f = scan.Files[i];
                if (r.ReadString() != f.RelativePath || r.ReadInt64() != f.Size || r.ReadInt64() != f.ModifiedTicks)
                    return Stale(log, $"{f.RelativePath} changed");
                bool ok = r.ReadBoolean();
                if (ok) lengths[i] = r.ReadInt64();
                else { lengths[i] = -1; skipped.Add(new SkippedFile(f.RelativePath, r.ReadString())); }
            }
            if (lengths.Where(l => l > 0).Sum() * 4 != stream.Length - stream.Position) return Stale(log, "damaged");
            var clips = new List<Clip>();
            for (int i = 0; i < files; i++)
            {
                if (lengths[i] < 0) continue;
                if (lengths[i] > Array.MaxLength) return Stale(log, "damaged");
                var samples = new float[lengths[i]];
                stream.ReadExactly(MemoryMarshal.AsBytes(samples.AsSpan()));
                clips.Add(new Clip(scan.Files[i].RelativePath, scan.LabelOf(scan.Files[i].Genre), samples));
            }
            return new AudioDataset(scan.Genres, o.SampleRate, clips, skipped) { FromCache = true };
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return Stale(log, $"unreadable ({e.Message})");
        }
    }

    /// <summary>Writes the cache; a failure to write is a warning, never an error.</summary>
    public static void TrySave(string path, ScanResult scan, DatasetOptions o, AudioDataset ds, Action<string>? log)
    {
        if (!BitConverter.IsLittleEndian) return;
        string tmp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var clipsBySource = ds.Clips.ToDictionary(c => c.Source);
            var skippedBySource = ds.Skipped.ToDictionary(s => s.Path);
            using (var stream = new BufferedStream(File.Create(tmp), 1 << 20))
            using (var w = new BinaryWriter(stream, Encoding.UTF8))
            {
                w.Write(Encoding.ASCII.GetBytes(Magic));
                w.Write(Version);
                w.Write(scan.Root);
                w.Write(OptionsKey(scan, o));
                w.Write(scan.Genres.Count);
                foreach (var g in scan.Genres) w.Write(g);
                w.Write(scan.Files.Count);
                foreach (var f in scan.Files)
                {
                    w.Write(f.RelativePath);
                    w.Write(f.Size);
                    w.Write(f.ModifiedTicks);
                    bool ok = clipsBySource.TryGetValue(f.RelativePath, out var clip);
                    w.Write(ok);
                    if (ok) w.Write((long)clip!.Samples.Length);
                    else w.Write(skippedBySource.TryGetValue(f.RelativePath, out var s) ? s.Reason : "unreadable");
                }
                w.Flush();
                foreach (var f in scan.Files)
                    if (clipsBySource.TryGetValue(f.RelativePath, out var clip))
                        stream.Write(MemoryMarshal.AsBytes(clip.Samples.AsSpan()));
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (IOException) { }
            log?.Invoke($"warning: could not write the dataset cache {path}: {e.Message}");
        }
    }

    private static AudioDataset? Stale(Action<string>? log, string why)
    {
        log?.Invoke($"dataset cache out of date ({why}); rebuilding");
        return null;
    }
}
