using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GanAudio.App.Training;

namespace GanAudio.App.Cli;

/// <summary>Turns System.CommandLine's parse errors into the project's one line: a misspelt option is an unknown
/// option with the closest valid name (even where a free argument would have swallowed it), a value of the wrong kind
/// names the option and the kind expected ("--steps expects a whole number, got 'ten'"), and no .NET type name leaks.</summary>
public static class ParseErrors
{
    /// <summary>The one line to print, or null when the command line is fine.</summary>
    public static string? Describe(ParseResult parse)
    {
        var cmd = parse.CommandResult.Command;
        string where = CommandPath(parse.CommandResult);
        string help = $"see '{where} --help'";
        var optionNames = AllOptions(parse.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct().ToList();
        foreach (var t in parse.Tokens)
        {
            if (t.Type != TokenType.Argument || !t.Value.StartsWith('-') || t.Value == "-" ||
                double.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue;
            var near = Spelling.Closest(t.Value, optionNames);
            return $"unknown option '{t.Value}' for '{where}'" + (near is null ? $"; {help}" : $"; did you mean {near}?");
        }
        if (parse.Errors.Count == 0) return null;
        foreach (var e in parse.Errors)
        {
            var optionResult = e.SymbolResult as OptionResult ?? (e.SymbolResult as ArgumentResult)?.Parent as OptionResult;
            if (optionResult is null || optionResult.Tokens.Count == 0) continue;
            var kind = ConfigFileCheck.Kind(optionResult.Option.ValueType);
            if (kind is null || kind.StartsWith("a string", StringComparison.Ordinal)) continue;
            return $"{optionResult.Option.Name} expects {kind}, got '{string.Join(" ", optionResult.Tokens.Select(x => x.Value))}'";
        }
        if (parse.UnmatchedTokens.Count > 0)
        {
            var tok = parse.UnmatchedTokens[0];
            var sub = cmd.Subcommands.Select(c => c.Name).ToList();
            var near = sub.Count > 0 ? Spelling.Closest(tok, sub) : null;
            return near is not null ? $"unknown command '{tok}'; did you mean '{where} {near}'?"
                : sub.Count > 0 ? $"unknown command '{tok}' for '{where}'; commands: {string.Join(", ", sub)}"
                : $"unexpected argument '{tok}' for '{where}'; {help}";
        }
        return $"{parse.Errors[0].Message.TrimEnd('.')}; {help}";
    }

    private static IEnumerable<Option> AllOptions(CommandResult r)
    {
        for (SymbolResult? s = r; s is not null; s = s.Parent)
            if (s is CommandResult c)
                foreach (var o in c.Command.Options)
                    if (ReferenceEquals(c, r) || o.Recursive) yield return o;
    }

    private static string CommandPath(CommandResult r)
    {
        var names = new List<string>();
        for (SymbolResult? s = r; s is not null; s = s.Parent)
            if (s is CommandResult c) names.Add(c.Parent is null ? "GanApp" : c.Command.Name);
        names.Reverse();
        return string.Join(" ", names);
    }
}
