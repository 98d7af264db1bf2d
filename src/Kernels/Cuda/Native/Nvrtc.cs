using System.Runtime.CompilerServices;

namespace GanAudio.Kernels.Cuda.Native;

/// <summary>NVRTC (libnvrtc.so.* / nvrtc64_*.dll), C names kept. <see cref="Check"/> is the choke point;
/// compile failures carry the program log.</summary>
internal sealed unsafe class Nvrtc
{
    public const int NVRTC_SUCCESS = 0;
    public const int NVRTC_ERROR_COMPILATION = 6;

    public readonly string Path;
    public readonly delegate* unmanaged<int*, int*, int> nvrtcVersion;
    public readonly delegate* unmanaged<int, byte*> nvrtcGetErrorString;
    public readonly delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> nvrtcCreateProgram;
    public readonly delegate* unmanaged<nint*, int> nvrtcDestroyProgram;
    public readonly delegate* unmanaged<nint, int, byte**, int> nvrtcCompileProgram;
    public readonly delegate* unmanaged<nint, nuint*, int> nvrtcGetProgramLogSize;
    public readonly delegate* unmanaged<nint, byte*, int> nvrtcGetProgramLog;
    public readonly delegate* unmanaged<nint, nuint*, int> nvrtcGetPTXSize;
    public readonly delegate* unmanaged<nint, byte*, int> nvrtcGetPTX;
    public readonly delegate* unmanaged<nint, nuint*, int> nvrtcGetCUBINSize;  // null before CUDA 11.1
    public readonly delegate* unmanaged<nint, byte*, int> nvrtcGetCUBIN;
    public readonly delegate* unmanaged<int*, int> nvrtcGetNumSupportedArchs;  // null before CUDA 11.2
    public readonly delegate* unmanaged<int*, int> nvrtcGetSupportedArchs;

    private Nvrtc(nint lib, string path)
    {
        Path = path;
        nint E(string n) => LibraryLoader.Export(lib, "NVRTC " + path, n);
        nvrtcVersion = (delegate* unmanaged<int*, int*, int>)E(nameof(nvrtcVersion));
        nvrtcGetErrorString = (delegate* unmanaged<int, byte*>)E(nameof(nvrtcGetErrorString));
        nvrtcCreateProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int>)E(nameof(nvrtcCreateProgram));
        nvrtcDestroyProgram = (delegate* unmanaged<nint*, int>)E(nameof(nvrtcDestroyProgram));
        nvrtcCompileProgram = (delegate* unmanaged<nint, int, byte**, int>)E(nameof(nvrtcCompileProgram));
        nvrtcGetProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)E(nameof(nvrtcGetProgramLogSize));
        nvrtcGetProgramLog = (delegate* unmanaged<nint, byte*, int>)E(nameof(nvrtcGetProgramLog));
        nvrtcGetPTXSize = (delegate* unmanaged<nint, nuint*, int>)E(nameof(nvrtcGetPTXSize));
        nvrtcGetPTX = (delegate* unmanaged<nint, byte*, int>)E(nameof(nvrtcGetPTX));
        nvrtcGetCUBINSize = (delegate* unmanaged<nint, nuint*, int>)LibraryLoader.OptionalExport(lib, nameof(nvrtcGetCUBINSize));
        nvrtcGetCUBIN = (delegate* unmanaged<nint, byte*, int>)LibraryLoader.OptionalExport(lib, nameof(nvrtcGetCUBIN));
        nvrtcGetNumSupportedArchs = (delegate* unmanaged<int*, int>)LibraryLoader.OptionalExport(lib, nameof(nvrtcGetNumSupportedArchs));
        nvrtcGetSupportedArchs = (delegate* unmanaged<int*, int>)LibraryLoader.OptionalExport(lib, nameof(nvrtcGetSupportedArchs));
    }

    private static readonly Dictionary<string, Nvrtc> Loaded = new();

    public static Nvrtc Load(CudaLibrarySearch search)
    {
        if (!LibraryLoader.TryLoad(LibraryLoader.NvrtcNames, search, out var h, out var path, out var tried))
            throw new CudaUnavailableException(
                $"NVRTC (the CUDA runtime compiler) was not found (tried {tried}); install the CUDA toolkit's NVRTC " +
                "(Debian: libnvrtc11.2 and libnvrtc-builtins11.8 from contrib/non-free), or run with --device cpu");
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(path, out var n)) Loaded[path] = n = new Nvrtc(h, path);
            return n;
        }
    }

    public static bool TryLoad(CudaLibrarySearch search, out Nvrtc? nvrtc, out string reason)
    {
        try
        {
            nvrtc = Load(search);
            reason = "";
            return true;
        }
        catch (CudaUnavailableException e)
        {
            nvrtc = null;
            reason = e.Message;
            return false;
        }
    }

    public (int Major, int Minor) Version
    {
        get
        {
            int major, minor;
            Check(nvrtcVersion(&major, &minor));
            return (major, minor);
        }
    }

    /// <summary>Architectures this NVRTC can compile for (e.g. 52 … 90); empty when it cannot say.</summary>
    public int[] SupportedArchs()
    {
        if (nvrtcGetNumSupportedArchs == null || nvrtcGetSupportedArchs == null) return [];
        int n;
        Check(nvrtcGetNumSupportedArchs(&n));
        var a = new int[n];
        fixed (int* p = a) Check(nvrtcGetSupportedArchs(p));
        return a;
    }

    /// <summary>The choke point for NVRTC calls; <paramref name="log"/> is attached to the exception when given.</summary>
    public void Check(int r, [CallerArgumentExpression(nameof(r))] string call = "", string? log = null)
    {
        if (r == NVRTC_SUCCESS) return;
        string text = LibraryLoader.Utf8(nvrtcGetErrorString(r)) ?? $"nvrtcResult {r}";
        throw new NvrtcException(call, text, r, log ?? "");
    }
}
