using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GanApp.Tests;

/// <summary>The layer rule (DESIGN.md, issue #15): dependencies point down (GanApp → Nn → Tensor → Kernels); GanApp and Nn
/// use tensors, never buffers or backends: of the Kernels assembly they may name only the shared vocabulary (dtype,
/// device, device failure). Checked three ways: the project references, the types the compiled GanApp and Nn
/// assemblies reference, and every source line of src/GanApp and src/Nn (which names the file and line of a leak).</summary>
public class LayerRuleTests
{
    /// <summary>The layers, lowest first; a project may reference only projects below it.</summary>
    private static readonly string[] Layers = ["Kernels", "Tensor", "Nn", "GanApp"];

    /// <summary>The projects that must use tensors only.</summary>
    private static readonly string[] TensorOnly = ["Nn", "GanApp"];

    /// <summary>The Kernels types every layer may name.</summary>
    internal static readonly HashSet<string> Vocabulary =
    [
        "GanAudio.Kernels.DType", "GanAudio.Kernels.DTypeExtensions", "GanAudio.Kernels.Device", "GanAudio.Kernels.DeviceType",
        "GanAudio.Kernels.DeviceException", "GanAudio.Kernels.DeviceCounters", "GanAudio.Kernels.MathPrecision",
    ];

    private static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "src", "GanApp", "GanApp.csproj"))) return d.FullName;
            throw new InvalidOperationException("repository root (src/GanApp/GanApp.csproj) not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void ProjectReferencesPointDownAndSkipNoLayer()
    {
        var bad = new List<string>();
        for (int i = 0; i < Layers.Length; i++)
        {
            var csproj = Path.Combine(RepoRoot, "src", Layers[i], Layers[i] + ".csproj");
            foreach (var r in XDocument.Load(csproj).Descendants("ProjectReference"))
            {
                string target = Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'));
                int j = Array.IndexOf(Layers, target);
                if (j < 0 || j >= i) bad.Add($"src/{Layers[i]}/{Layers[i]}.csproj references {target}: only layers below may be referenced");
                else if (TensorOnly.Contains(Layers[i]) && target == "Kernels")
                    bad.Add($"src/{Layers[i]}/{Layers[i]}.csproj references Kernels directly: it works with tensors (Tensor brings the shared vocabulary)");
            }
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public void CompiledAssembliesReferenceOnlyTheSharedVocabularyOfKernels()
    {
        var kernels = typeof(GanAudio.Kernels.DType).Assembly.GetName().Name!;
        var bad = new List<string>();
        foreach (var asm in new[] { typeof(GanAudio.Nn.Module).Assembly, typeof(GanAudio.App.Cli.CliApp).Assembly })
            foreach (var t in KernelTypesReferencedBy(asm.Location, kernels))
                if (!Vocabulary.Contains(t)) bad.Add($"{asm.GetName().Name} references {t}");
        Assert.True(bad.Count == 0, "GanApp and Nn use tensors, never buffers or backends:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void NoLowerAssemblyOpensItsInternalsToNnOrGanApp()
    {
        var upper = new[] { "GanAudio.Nn", "GanApp" };
        var bad = new List<string>();
        foreach (var asm in new[] { typeof(GanAudio.Kernels.DType).Assembly, typeof(GanAudio.Tensors.Tensor).Assembly })
            foreach (var a in asm.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>())
                if (upper.Contains(a.AssemblyName.Split(',')[0].Trim()))
                    bad.Add($"{asm.GetName().Name} has InternalsVisibleTo({a.AssemblyName})");
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public void NoSourceLineOfNnOrGanAppNamesABackendOrBuffer()
    {
        var bad = new List<string>();
        foreach (var project in TensorOnly)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot, "src", project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
                var rel = Path.GetRelativePath(RepoRoot, file).Replace('\\', '/');
                bad.AddRange(SourceLeaks.Find(File.ReadAllLines(file)).Select(l => $"{rel}:{l.Line}: {l.What}"));
            }
        Assert.True(bad.Count == 0, "GanApp and Nn use tensors, never buffers or backends:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void TheSourceScanFindsALeakWithItsLine()
    {
        // the scan itself must be able to fail: known leaks, and lines that only mention the names
        string[] leaky =
        [
            "using GanAudio.Kernels;",
            "// p.Backend.AdamStep(...) is mentioned in a comment only",
            "var s = \"IBackend in a string\";",
            "p.Backend.AdamStep(p.Buffer, g.Buffer, m, v, null, n, Kernels.AdamArgs.For(1, 2, 3, 4, 5, 6));",
            "if (t > 0) Kernels.Cpu.CpuParallel.MaxThreads = t;",
            "using GanAudio.Kernels.Cuda;",
            "int n = Conv1dGeometry.OutputLength(l, k, s, p);",
            "DType d = DType.Float32; var dev = Device.Cpu;",
        ];
        var found = SourceLeaks.Find(leaky);
        Assert.Equal([4, 5, 6, 7], found.Select(f => f.Line).Distinct());
        Assert.Contains(found, f => f.Line == 4 && f.What.Contains("AdamArgs"));
        Assert.Contains(found, f => f.Line == 5 && f.What.Contains("Kernels.Cpu"));
    }

    [Fact]
    public void TheMetadataScanSeesWhatALowerLayerUsesOfKernels()
    {
        // the metadata scan must be able to fail: Tensor, which dispatches to backends, references them
        var kernels = typeof(GanAudio.Kernels.DType).Assembly.GetName().Name!;
        var found = KernelTypesReferencedBy(typeof(GanAudio.Tensors.Tensor).Assembly.Location, kernels).ToHashSet();
        Assert.Contains("GanAudio.Kernels.IBackend", found);
        Assert.Contains("GanAudio.Kernels.DeviceBuffer", found);
        Assert.Contains(found, t => t.StartsWith("GanAudio.Kernels.Cpu.", StringComparison.Ordinal));
    }

    private static IEnumerable<string> KernelTypesReferencedBy(string path, string kernelsAssembly)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        foreach (var h in md.TypeReferences)
        {
            var tr = md.GetTypeReference(h);
            var scope = tr.ResolutionScope;
            var outer = tr;
            while (scope.Kind == HandleKind.TypeReference)
            {
                outer = md.GetTypeReference((TypeReferenceHandle)scope);
                scope = outer.ResolutionScope;
            }
            if (scope.Kind != HandleKind.AssemblyReference) continue;
            var asm = md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
            if (asm != kernelsAssembly) continue;
            yield return md.GetString(outer.Namespace) + "." + md.GetString(outer.Name) +
                         (outer.Equals(tr) ? "" : "+" + md.GetString(tr.Name));
        }
    }
}

/// <summary>A line-by-line scan of C# source for names of the Kernels assembly outside the shared vocabulary:
/// the Cpu/Cuda/Reference namespaces, Kernels' other types (from reflection, so a new backend type is covered), and
/// tensors' internal buffer/backend members. Comments and string literals are ignored.</summary>
internal static class SourceLeaks
{
    private static readonly string[] Forbidden = typeof(GanAudio.Kernels.DType).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == "GanAudio.Kernels" && !t.IsNested && !LayerRuleTests.Vocabulary.Contains(t.FullName!))
        .Select(t => t.Name.Split('`')[0]).Distinct().ToArray();

    private static readonly Regex Sub = new(@"\bKernels\.(Cpu|Cuda|Reference)\b");

    private static readonly Regex Internals = new(@"\.\s*(Backend|Buffer|StorageRef)\b(?!\w)");

    private static readonly Regex Names = new(@"\b(" + string.Join("|", Forbidden.Select(Regex.Escape)) + @")\b");

    private static readonly Regex StringsAndComments = new(@"""(?:\\.|[^""\\])*""|'(?:\\.|[^'\\])'|//.*$");

    public static List<(int Line, string What)> Find(IReadOnlyList<string> lines)
    {
        var found = new List<(int, string)>();
        for (int i = 0; i < lines.Count; i++)
        {
            var code = StringsAndComments.Replace(lines[i], "");
            foreach (Match m in Sub.Matches(code)) found.Add((i + 1, $"names {m.Value} (a backend's namespace)"));
            foreach (Match m in Names.Matches(code)) found.Add((i + 1, $"names {m.Value} (Kernels, not shared vocabulary)"));
            foreach (Match m in Internals.Matches(code)) found.Add((i + 1, $"uses a tensor's {m.Groups[1].Value} (backend/buffer)"));
        }
        return found;
    }
}
