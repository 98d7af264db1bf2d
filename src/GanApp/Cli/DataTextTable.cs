namespace GanAudio.App.Cli;

/// <summary>A plain-text table with left-aligned text and right-aligned numeric columns.</summary>
internal sealed class DataTextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly List<int> _separators = [];

    /// <summary>Columns whose index is in this set are right-aligned.</summary>
    public HashSet<int> RightAligned { get; } = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Separator() => _separators.Add(_rows.Count);

    public void Write(TextWriter w)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        string Line(string[] cells) => string.Join("  ", widths.Select((wd, i) =>
        {
            string c = i < cells.Length ? cells[i] : "";
            return RightAligned.Contains(i) ? c.PadLeft(wd) : c.PadRight(wd);
        })).TrimEnd();
        w.WriteLine(Line(headers));
        w.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        for (int r = 0; r < _rows.Count; r++)
        {
            if (_separators.Contains(r)) w.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
            w.WriteLine(Line(_rows[r]));
        }
    }
}
