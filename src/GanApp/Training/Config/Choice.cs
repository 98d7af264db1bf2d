using System.Collections.Concurrent;
using System.Reflection;

namespace GanAudio.App.Training;

/// <summary>The word an enum member is written as in config.json and on the command line.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ChoiceAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Marks an enum as a set of option words; <paramref name="noun"/> names one in messages ("unknown loss 'x'").</summary>
[AttributeUsage(AttributeTargets.Enum)]
public sealed class ChoicesAttribute(string noun) : Attribute
{
    public string Noun { get; } = noun;
}

/// <summary>Words ↔ values of the enums marked <see cref="ChoicesAttribute"/>: the one place option words are interpreted.</summary>
public static class Choice
{
    private sealed record Table(string Noun, string[] Names, object[] Values);

    private static readonly ConcurrentDictionary<Type, Table> Tables = new();

    private static Table Of(Type t) => Tables.GetOrAdd(t, type =>
    {
        var noun = type.GetCustomAttribute<ChoicesAttribute>()?.Noun
            ?? throw new InvalidOperationException($"{type.Name} is not marked [Choices]");
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static);
        return new Table(noun,
            fields.Select(f => f.GetCustomAttribute<ChoiceAttribute>()?.Name ?? throw new InvalidOperationException($"{type.Name}.{f.Name} has no [Choice]")).ToArray(),
            fields.Select(f => f.GetValue(null)!).ToArray());
    });

    /// <summary>Whether <paramref name="t"/> is an enum of option words.</summary>
    public static bool IsChoice(Type t) => t.IsEnum && t.IsDefined(typeof(ChoicesAttribute), false);

    /// <summary>The word of a value (<c>LossKind.WganGp.Name()</c> is "wgan-gp").</summary>
    public static string Name<T>(this T value) where T : struct, Enum => NameOf(typeof(T), value);

    public static string NameOf(Type t, object value)
    {
        var table = Of(t);
        int i = Array.IndexOf(table.Values, value);
        return i >= 0 ? table.Names[i] : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {table.Noun}");
    }

    /// <summary>The words of a type, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type t) => Of(t).Names;

    /// <summary>"a, b or c".</summary>
    public static string Alternatives(Type t)
    {
        var n = Of(t).Names;
        return n.Length == 1 ? n[0] : string.Join(", ", n[..^1]) + " or " + n[^1];
    }

    public static bool TryParse(Type t, string? word, out object? value)
    {
        var table = Of(t);
        int i = word is null ? -1 : Array.IndexOf(table.Names, word);
        value = i >= 0 ? table.Values[i] : null;
        return i >= 0;
    }

    /// <summary>The value of <paramref name="word"/>; else a <see cref="UsageException"/>:
    /// "--loss: unknown loss 'x'; use wgan-gp, wgan-clip, bce or hinge" (for a list option: "use gain, shift (comma-separated)").</summary>
    public static object Parse(Type t, string option, string word, bool list = false)
    {
        if (TryParse(t, word, out var v)) return v!;
        var table = Of(t);
        string use = list ? string.Join(", ", table.Names) + " (comma-separated)" : Alternatives(t);
        throw new UsageException($"{option}: unknown {table.Noun} '{word}'; use {use}");
    }

    public static T Parse<T>(string option, string word) where T : struct, Enum => (T)Parse(typeof(T), option, word);
}
