using System.Text;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>What NVRTC produced: a CUBIN (ELF) for sm_XX or PTX for compute_XX, and the program log.</summary>
public sealed record CompiledKernel(byte[] Image, bool IsCubin, string Log);

/// <summary>Compiles kernel sources with NVRTC. <see cref="Options"/> are the backend's own options, used by the
/// backend at run time and by the compile-check test.</summary>
public static class KernelCompiler
{
    /// <summary>The backend's NVRTC options for an architecture (80 → sm_80). No standard headers exist under NVRTC;
    /// C++17 must be asked for explicitly.</summary>
    public static string[] Options(int arch, bool cubin = true) =>
        ["-std=c++17", cubin ? $"-arch=sm_{arch}" : $"-arch=compute_{arch}", "-default-device", "-DGANAUDIO_NVRTC=1"];

    /// <summary>Whether NVRTC can be loaded; the reason when not.</summary>
    public static bool IsAvailable(out string reason, CudaLibrarySearch? search = null) =>
        Nvrtc.TryLoad(search ?? CudaLibrarySearch.Default, out _, out reason);

    /// <summary>NVRTC's version, e.g. (11, 8).</summary>
    public static (int Major, int Minor) NvrtcVersion(CudaLibrarySearch? search = null) => Nvrtc.Load(search ?? CudaLibrarySearch.Default).Version;

    /// <summary>Architectures the loaded NVRTC supports.</summary>
    public static int[] SupportedArchs(CudaLibrarySearch? search = null) => Nvrtc.Load(search ?? CudaLibrarySearch.Default).SupportedArchs();

    /// <summary>Compiles one source; a compile error throws <see cref="NvrtcException"/> carrying the log.</summary>
    public static unsafe CompiledKernel Compile(string name, string source, IReadOnlyDictionary<string, string> headers, string[] options,
        CudaLibrarySearch? search = null)
    {
        var nv = Nvrtc.Load(search ?? CudaLibrarySearch.Default);
        var hNames = headers.Keys.ToArray();
        var pins = new List<byte[]>();
        byte[] Z(string s)
        {
            var b = Encoding.UTF8.GetBytes(s + "\0");
            pins.Add(b);
            return b;
        }
        var srcB = Z(source);
        var nameB = Z(name);
        var hdrs = hNames.Select(h => Z(headers[h])).ToArray();
        var incs = hNames.Select(Z).ToArray();
        var opts = options.Select(Z).ToArray();
        var handles = new List<System.Runtime.InteropServices.GCHandle>();
        try
        {
            byte** Ptrs(byte[][] arr)
            {
                var p = (byte**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)Math.Max(1, arr.Length), (nuint)sizeof(byte*));
                for (int i = 0; i < arr.Length; i++)
                {
                    var h = System.Runtime.InteropServices.GCHandle.Alloc(arr[i], System.Runtime.InteropServices.GCHandleType.Pinned);
                    handles.Add(h);
                    p[i] = (byte*)h.AddrOfPinnedObject();
                }
                return p;
            }
            byte** pH = Ptrs(hdrs), pI = Ptrs(incs), pO = Ptrs(opts);
            try
            {
                nint prog;
                fixed (byte* s = srcB, n = nameB)
                    nv.Check(nv.nvrtcCreateProgram(&prog, s, n, hdrs.Length, pH, pI));
                try
                {
                    int rc = nv.nvrtcCompileProgram(prog, opts.Length, pO);
                    string log = ReadLog(nv, prog);
                    nv.Check(rc, $"nvrtcCompileProgram({name}, {string.Join(' ', options)})", log);
                    bool cubin = options.Any(o => o.StartsWith("-arch=sm_", StringComparison.Ordinal)) && nv.nvrtcGetCUBINSize != null;
                    nuint size;
                    byte[] image;
                    if (cubin)
                    {
                        nv.Check(nv.nvrtcGetCUBINSize(prog, &size));
                        image = new byte[(int)size];
                        fixed (byte* p = image) nv.Check(nv.nvrtcGetCUBIN(prog, p));
                    }
                    else
                    {
                        nv.Check(nv.nvrtcGetPTXSize(prog, &size));
                        image = new byte[(int)size];
                        fixed (byte* p = image) nv.Check(nv.nvrtcGetPTX(prog, p));
                    }
                    return new CompiledKernel(image, cubin, log);
                }
                finally
                {
                    nv.nvrtcDestroyProgram(&prog);
                }
            }
            finally
            {
                System.Runtime.InteropServices.NativeMemory.Free(pH);
                System.Runtime.InteropServices.NativeMemory.Free(pI);
                System.Runtime.InteropServices.NativeMemory.Free(pO);
            }
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    private static unsafe string ReadLog(Nvrtc nv, nint prog)
    {
        nuint size;
        if (nv.nvrtcGetProgramLogSize(prog, &size) != 0 || size <= 1) return "";
        var b = new byte[(int)size];
        fixed (byte* p = b) nv.nvrtcGetProgramLog(prog, p);
        return Encoding.UTF8.GetString(b, 0, b.Length - 1);
    }
}
