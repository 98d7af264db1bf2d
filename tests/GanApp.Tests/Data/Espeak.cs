using GanAudio.App.Data;

namespace GanApp.Tests.Data;

/// <summary>The one place tests learn whether espeak-ng runs here (the reason to skip when it does not).</summary>
internal static class Espeak
{
    private static readonly Lazy<string?> Why = new(() => EspeakNg.Unavailable());

    /// <summary>Skips the calling test, with the reason, when espeak-ng cannot be run.</summary>
    public static void Require() => Assert.SkipWhen(Why.Value is not null, Why.Value ?? "");
}
