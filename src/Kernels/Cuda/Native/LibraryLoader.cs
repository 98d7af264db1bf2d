using System.Runtime.InteropServices;

namespace GanAudio.Kernels.Cuda.Native;

/// <summary>Where the CUDA libraries are looked for: the given directories first, then <c>GANAUDIO_CUDA_PATH</c>
/// (a path list), then the system's search path (unless <see cref="SystemPaths"/> is false).</summary>
public sealed record CudaLibrarySearch(IReadOnlyList<string> Directories, bool SystemPaths = true)
{
    public static CudaLibrarySearch Default { get; } = new(Array.Empty<string>());

    internal IEnumerable<string> Directories_()
    {
        foreach (var d in Directories) yield return d;
        var env = Environment.GetEnvironmentVariable("GANAUDIO_CUDA_PATH");
        if (!string.IsNullOrWhiteSpace(env))
            foreach (var d in env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) yield return d;
    }
}

/// <summary>Resolves a native library from a list of usual names (versioned ones included) and binds exports.</summary>
internal static class LibraryLoader
{
    public static string[] DriverNames => OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"];

    public static string[] NvrtcNames => OperatingSystem.IsWindows()
        ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
        : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"];

    public static string[] CublasNames => OperatingSystem.IsWindows()
        ? ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"]
        : ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"];

    public static string[] CudnnNames => OperatingSystem.IsWindows()
        ? ["cudnn64_9.dll", "cudnn64_8.dll"]
        : ["libcudnn.so.9", "libcudnn.so.8", "libcudnn.so"];

    /// <summary>Loads the first name found; returns false with the list of what was tried.</summary>
    public static bool TryLoad(string[] names, CudaLibrarySearch search, out nint handle, out string path, out string tried)
    {
        var attempts = new List<string>();
        foreach (var dir in search.Directories_())
            foreach (var n in names)
            {
                var p = Path.Combine(dir, n);
                attempts.Add(p);
                if (File.Exists(p) && NativeLibrary.TryLoad(p, out handle))
                {
                    path = p;
                    tried = "";
                    return true;
                }
            }
        if (search.SystemPaths)
            foreach (var n in names)
            {
                attempts.Add(n);
                if (NativeLibrary.TryLoad(n, out handle))
                {
                    path = n;
                    tried = "";
                    return true;
                }
            }
        handle = 0;
        path = "";
        tried = string.Join(", ", attempts);
        return false;
    }

    public static nint Export(nint lib, string library, string name) =>
        NativeLibrary.TryGetExport(lib, name, out var p) ? p
            : throw new CudaUnavailableException($"{library} has no export '{name}' (library too old?)");

    public static nint OptionalExport(nint lib, string name) => NativeLibrary.TryGetExport(lib, name, out var p) ? p : 0;

    public static unsafe string? Utf8(byte* s) => s == null ? null : Marshal.PtrToStringUTF8((nint)s);
}
