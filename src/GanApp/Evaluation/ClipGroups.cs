using GanAudio.App.Data;

namespace GanAudio.App.Evaluation;

/// <summary>Grouping keys for splits that must keep related clips together (a speaker's words): from a <c>labels.csv</c>
/// in the data folder with a <c>file</c> column and a <c>voice</c>, <c>speaker</c> or <c>group</c> column (file paths
/// relative to that folder, as <c>GanApp data synth</c> writes them), else from Speech Commands' file names
/// (<c>&lt;speaker&gt;_nohash_&lt;n&gt;.wav</c>: the part before <c>_nohash_</c>), else none (each clip its own group).</summary>
public static class ClipGroups
{
    public const string LabelsFile = "labels.csv";

    private static readonly string[] GroupColumns = ["voice", "speaker", "group"];

    /// <summary>Key of <paramref name="clip"/> for splitting: its group, or its source when it has none.</summary>
    public static string KeyOf(Clip clip) => clip.Group ?? clip.Source;

    /// <summary>True when some clip has a group (so splits go by group rather than by clip).</summary>
    public static bool HasGroups(AudioDataset ds) => ds.Clips.Any(c => c.Group is not null);

    /// <summary>The dataset with each clip's group set from <paramref name="root"/>'s labels.csv or its file name; returns
    /// <paramref name="ds"/> itself when neither gives a group. <paramref name="describe"/> says where the groups came from.</summary>
    public static AudioDataset Assign(AudioDataset ds, string root, out string describe)
    {
        var fromCsv = ReadLabels(Path.Combine(root, LabelsFile), out string column);
        string? Lookup(Clip c) => fromCsv is not null && fromCsv.TryGetValue(c.Source, out var g) ? g : null;
        if (fromCsv is not null && ds.Clips.All(c => Lookup(c) is not null))
        {
            describe = $"grouped by the '{column}' column of {LabelsFile}";
            return With(ds, Lookup);
        }
        if (ds.Clips.All(c => SpeechCommandsSpeaker(c.Source) is not null))
        {
            describe = "grouped by speaker (the file name before '_nohash_')";
            return With(ds, c => SpeechCommandsSpeaker(c.Source));
        }
        describe = "by clip";
        return ds;
    }

    /// <summary>The speaker of a Speech Commands file name (<c>word/0a7c2a8d_nohash_1.wav</c> → <c>0a7c2a8d</c>), or null.</summary>
    public static string? SpeechCommandsSpeaker(string source)
    {
        string name = Path.GetFileName(source);
        int at = name.IndexOf("_nohash_", StringComparison.Ordinal);
        return at > 0 ? name[..at] : null;
    }

    private static AudioDataset With(AudioDataset ds, Func<Clip, string?> group) =>
        new(ds.Genres, ds.SampleRate, ds.Clips.Select(c => c with { Group = group(c) }).ToArray(), ds.Skipped) { FromCache = ds.FromCache };

    /// <summary>file → group from a CSV with a header (no quoted fields), or null when there is no such file or column.</summary>
    private static Dictionary<string, string>? ReadLabels(string path, out string column)
    {
        column = "";
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return null;
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int file = header.IndexOf("file"), col = -1;
        foreach (var name in GroupColumns)
            if ((col = header.IndexOf(name)) >= 0) { column = name; break; }
        if (file < 0 || col < 0) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length > Math.Max(file, col) && f[col].Trim().Length > 0) map[f[file].Trim().Replace('\\', '/')] = f[col].Trim();
        }
        return map;
    }
}
