using System.Text.RegularExpressions;
using GanAudio.Kernels.Cuda;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>Every kernels-cu/*.cu (and the simulator's test kernels) compiles with NVRTC under the backend's own options for
/// sm_80 and sm_90 to a CUBIN with `-Xptxas -v`; an error or a register spill fails and prints the log.</summary>
public partial class CudaCompileTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases()
    {
        var d = new TheoryData<string, int>();
        foreach (var f in KernelSources.Files)
            foreach (int arch in new[] { 80, 90 })
                d.Add(f, arch);
        foreach (int arch in new[] { 80, 90 }) d.Add("testkernels/sync_probe.cu", arch);
        return d;
    }

    [GeneratedRegex(@"(\d+) bytes spill stores, (\d+) bytes spill loads")]
    private static partial Regex Spills();

    [Theory]
    [MemberData(nameof(Cases))]
    public void CompilesWithoutSpills(string file, int arch)
    {
        Assert.SkipUnless(KernelCompiler.IsAvailable(out var reason), "NVRTC not available: " + reason);
        var archs = KernelCompiler.SupportedArchs();
        Assert.SkipWhen(archs.Length > 0 && !archs.Contains(arch), $"this NVRTC does not support sm_{arch}");
        string source = file.StartsWith("testkernels/", StringComparison.Ordinal)
            ? File.ReadAllText(Path.Combine(CudaTestEnvironment.RepoRoot ?? throw Xunit.Sdk.SkipException.ForSkip("repository not found"), "tests", "CudaSim", file))
            : KernelSources.Source(file);
        string[] options = [.. KernelCompiler.Options(arch), "-Xptxas", "-v"];
        CompiledKernel k;
        try
        {
            k = KernelCompiler.Compile(file, source, KernelSources.Headers, options);
        }
        catch (NvrtcException e)
        {
            output.WriteLine(e.Log);
            throw;
        }
        output.WriteLine(k.Log);
        Assert.True(k.IsCubin, "expected a CUBIN for sm_" + arch);
        Assert.True(k.Image.Length > 4 && k.Image[0] == 0x7f && k.Image[1] == (byte)'E', "CUBIN is not an ELF image");
        var spills = Spills().Matches(k.Log).Where(m => m.Groups[1].Value != "0" || m.Groups[2].Value != "0").ToList();
        Assert.True(spills.Count == 0, $"{file} sm_{arch}: register spills:\n{k.Log}");
        Assert.Contains("registers", k.Log);
    }
}
