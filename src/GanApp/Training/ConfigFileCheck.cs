using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GanAudio.App.Training;

/// <summary>Checks a configuration file's keys and value kinds before it is deserialised, so that every mistake is one
/// line naming the file and the key: an unknown key with the closest valid one, a value of the wrong kind with the kind
/// expected and the value given, or a JSON syntax error with its line.</summary>
public static class ConfigFileCheck
{
    private static readonly Dictionary<string, Type> Keys = typeof(TrainConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
        .ToDictionary(p => JsonNamingPolicy.KebabCaseLower.ConvertName(p.Name), p => p.PropertyType);

    public static void Check(string text, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source}: not valid JSON at line {(e.LineNumber ?? 0) + 1}; the file is truncated or mistyped");
        }
        if (root is not JsonObject obj) throw new UsageException($"{source}: expected a JSON object of options ({{\"steps\": 100, …}})");
        foreach (var (key, value) in obj)
        {
            if (!Keys.TryGetValue(key, out var type))
            {
                var near = Spelling.Closest(key, Keys.Keys);
                throw new UsageException($"{source}: unknown key '{key}'" + (near is null ? "" : $"; did you mean '{near}'?") + " (keys are the option names without --)");
            }
            string? kind = Kind(type);
            if (kind is not null && !Fits(value, type))
                throw new UsageException($"{source}: key '{key}' expects {kind}, got {value?.ToJsonString() ?? "null"}");
        }
    }

    /// <summary>Words for the kind of value an option of this type takes (also used for command-line errors).</summary>
    public static string? Kind(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long)) return "a whole number";
        if (t == typeof(double) || t == typeof(float)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(string)) return "a string";
        if (t == typeof(string[])) return "a list of strings";
        if (t == typeof(int[])) return "a list of whole numbers";
        if (t == typeof(Kernels.Device)) return "cpu, cuda or cuda:N";
        if (Choice.IsChoice(t)) return Choice.Alternatives(t);
        if (t.IsArray && Choice.IsChoice(t.GetElementType()!)) return "a list of " + string.Join(", ", Choice.Names(t.GetElementType()!));
        return null;
    }

    private static bool Fits(JsonNode? v, Type type)
    {
        bool nullable = !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
        if (v is null) return nullable;
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string[])) return v is JsonArray a && a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String);
        if (t == typeof(int[])) return v is JsonArray ia && ia.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.Number && xv.TryGetValue(out int _));
        if (t.IsArray && Choice.IsChoice(t.GetElementType()!))
            return v is JsonArray ca && ca.All(x => x is JsonValue xv && xv.TryGetValue(out string? w) && Choice.TryParse(t.GetElementType()!, w, out _));
        if (v is not JsonValue jv) return false;
        if (Choice.IsChoice(t)) return jv.TryGetValue(out string? word) && Choice.TryParse(t, word, out _);
        if (t == typeof(Kernels.Device)) return jv.TryGetValue(out string? dev) && ConfigDevice.TryParse(dev, out _);
        var k = jv.GetValueKind();
        if (t == typeof(string)) return k == JsonValueKind.String;
        if (t == typeof(bool)) return k is JsonValueKind.True or JsonValueKind.False;
        if (t == typeof(int)) return k == JsonValueKind.Number && jv.TryGetValue(out int _);
        if (t == typeof(long)) return k == JsonValueKind.Number && jv.TryGetValue(out long _);
        if (t == typeof(double) || t == typeof(float)) return k == JsonValueKind.Number;
        return true;
    }
}

/// <summary>The closest valid name to a misspelt one (Levenshtein distance, at most a third of the word, at least 2).</summary>
public static class Spelling
{
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string w = word.TrimStart('-');
        string? best = null;
        int bestD = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(w, c.TrimStart('-'));
            if (d < bestD)
            {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.Max(2, w.Length / 3) ? best : null;
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions ("stpes" → "steps" is 1).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
            }
        return d[a.Length, b.Length];
    }
}
