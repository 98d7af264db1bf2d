using System.Runtime.CompilerServices;

namespace GanAudio.Tools.NnFixtures;

/// <summary>Entry point: patches the TorchSharp native library next to the executable (see
/// <see cref="ElfVersionPatch"/>), then writes the fixtures. Usage: <c>NnFixtures [output folder]</c>
/// (default tests/Nn.Tests/Fixtures, found from the current folder upwards).</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            GanAudio.Tools.ElfVersionPatch.PatchAll(AppContext.BaseDirectory);
            var outDir = args.Length > 0 ? args[0] : DefaultOutput();
            Directory.CreateDirectory(outDir);
            Run(outDir);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"NnFixtures: {e.Message}");
            Console.Error.WriteLine(e);
            return 1;
        }
    }

    // Kept out of Main so TorchSharp's native library loads only after the patch.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Run(string outDir) => Fixtures.WriteAll(outDir);

    private static string DefaultOutput()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "GanAudio.sln"))) return Path.Combine(d.FullName, "tests", "Nn.Tests", "Fixtures");
        throw new DirectoryNotFoundException("GanAudio.sln not found above the current folder; pass the output folder as the first argument");
    }
}
