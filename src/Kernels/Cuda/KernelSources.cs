using System.Reflection;

namespace GanAudio.Kernels.Cuda;

/// <summary>The <c>kernels-cu/*.cu</c> sources and <c>*.cuh</c> headers embedded in this assembly.</summary>
public static class KernelSources
{
    private const string Prefix = "kernels-cu/";
    private static readonly Lazy<Dictionary<string, string>> All = new(Read);

    /// <summary>File names of the kernel sources (e.g. <c>elementwise.cu</c>).</summary>
    public static IReadOnlyList<string> Files => All.Value.Keys.Where(k => k.EndsWith(".cu", StringComparison.Ordinal)).Order().ToList();

    /// <summary>Headers every source may include, by include name.</summary>
    public static IReadOnlyDictionary<string, string> Headers =>
        All.Value.Where(kv => kv.Key.EndsWith(".cuh", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);

    public static string Source(string file) =>
        All.Value.TryGetValue(file, out var s) ? s : throw new ArgumentException($"no embedded kernel source {Prefix}{file}");

    private static Dictionary<string, string> Read()
    {
        var asm = typeof(KernelSources).Assembly;
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in asm.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(n)!;
            using var r = new StreamReader(s);
            d[n[Prefix.Length..]] = r.ReadToEnd();
        }
        return d;
    }
}
