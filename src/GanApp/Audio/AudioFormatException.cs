namespace GanAudio.App.Audio;

/// <summary>
/// The one exception the audio readers and writers throw for bad or unsupported input.
/// The message is a single line naming the file (when known) and what is wrong.
/// </summary>
public sealed class AudioFormatException : Exception
{
    public AudioFormatException(string message) : base(message) { }

    public AudioFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The file the problem was found in, or null for in-memory input.</summary>
    public string? FilePath { get; init; }

    /// <summary>The problem without the file name (for tables that already show the file).</summary>
    public string Reason { get; init; } = "";

    internal static AudioFormatException Create(string? path, string reason) =>
        new(path is null ? reason : $"{path}: {reason}") { FilePath = path, Reason = reason };
}
