using System.Security.Cryptography;
using System.Text;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>The kernel pipeline: an embedded source is compiled by NVRTC for the device's architecture on first use,
/// the image cached on disk (keyed by source and header hash, architecture, options and NVRTC version), the module
/// loaded lazily and function handles cached. The backend's launches go through the <see cref="KernelTable"/>s below:
/// each (family, op, dtype) is resolved by name once, then read from its slot without a lock.</summary>
internal sealed unsafe class KernelModules
{
    private readonly CudaDevice dev;
    private readonly CudaLibrarySearch search;
    private readonly string cacheDir;
    private readonly object gate = new();
    private readonly Dictionary<string, nint> modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KernelFunction> functions = new(StringComparer.Ordinal);
    private string[]? options;
    private long resolutions;

    public KernelModules(CudaDevice dev, CudaLibrarySearch search, string? cacheDir)
    {
        this.dev = dev;
        this.search = search;
        this.cacheDir = cacheDir ?? DefaultCacheDirectory();
        unaryTable = new KernelTable(this, KernelTable.Count<UnaryOp>(), i =>
        {
            var (op, t) = KernelTable.Split(i);
            return (CudaKernelNames.ElementwiseFile, CudaKernelNames.Unary((UnaryOp)op, t));
        });
        binaryTable = new KernelTable(this, KernelTable.Count<BinaryOp>(), i =>
        {
            var (op, t) = KernelTable.Split(i);
            return (CudaKernelNames.ElementwiseFile, CudaKernelNames.Binary((BinaryOp)op, t));
        });
        reduceTable = new KernelTable(this, KernelTable.Count<ReduceOp>(), i =>
        {
            var (op, t) = KernelTable.Split(i);
            return (CudaKernelNames.ReduceFile, CudaKernelNames.Reduce((ReduceOp)op, t));
        });
        copyTable = new KernelTable(this, KernelTable.DTypeCount * KernelTable.DTypeCount, i =>
        {
            var (src, dst) = KernelTable.Split(i);
            return (CudaKernelNames.CopyFile, CudaKernelNames.Copy((DType)src, dst));
        });
        copyStridedTable = new KernelTable(this, KernelTable.DTypeCount * KernelTable.DTypeCount, i =>
        {
            var (src, dst) = KernelTable.Split(i);
            return (CudaKernelNames.CopyFile, CudaKernelNames.CopyStrided((DType)src, dst));
        });
        plainTable = new KernelTable(this, KernelTable.Count<CudaKernel>(), i =>
        {
            var (k, t) = KernelTable.Split(i);
            return CudaKernelNames.Plain((CudaKernel)k, t);
        });
    }

    private readonly KernelTable unaryTable, binaryTable, reduceTable, copyTable, copyStridedTable, plainTable;

    public KernelFunction Unary(UnaryOp op, DType t) => unaryTable[KernelTable.Index((int)op, t)];

    public KernelFunction Binary(BinaryOp op, DType t) => binaryTable[KernelTable.Index((int)op, t)];

    public KernelFunction Reduce(ReduceOp op, DType t) => reduceTable[KernelTable.Index((int)op, t)];

    /// <summary>copy_&lt;src&gt;_&lt;dst&gt; (strided gather, converting).</summary>
    public KernelFunction Copy(DType src, DType dst) => copyTable[KernelTable.Index((int)src, dst)];

    /// <summary>copy_strided_&lt;src&gt;_&lt;dst&gt; (strided gather and scatter, converting).</summary>
    public KernelFunction CopyStrided(DType src, DType dst) => copyStridedTable[KernelTable.Index((int)src, dst)];

    /// <summary>A kernel of <see cref="CudaKernel"/> (one per dtype) in its file.</summary>
    public KernelFunction Plain(CudaKernel k, DType t) => plainTable[KernelTable.Index((int)k, t)];

    /// <summary>How many table slots have been resolved (each kernel of the tables counts once, ever).</summary>
    public long Resolutions => Interlocked.Read(ref resolutions);

    internal void CountResolution() => Interlocked.Increment(ref resolutions);

    public static string DefaultCacheDirectory()
    {
        var env = Environment.GetEnvironmentVariable("GANAUDIO_CUDA_CACHE");
        if (!string.IsNullOrWhiteSpace(env)) return env;
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(local) ? Path.GetTempPath() : local, "ganaudio", "cuda-kernels");
    }

    /// <summary>Options for this device: a CUBIN for sm_XX when NVRTC supports the device's architecture, else PTX for the
    /// newest architecture it supports below it (the driver compiles PTX for the device).</summary>
    public string[] Options
    {
        get
        {
            if (options != null) return options;
            var archs = KernelCompiler.SupportedArchs(search);
            int cc = dev.ComputeCapability;
            if (archs.Length == 0 || archs.Contains(cc)) return options = KernelCompiler.Options(cc);
            int best = archs.Where(a => a <= cc).DefaultIfEmpty(0).Max();
            if (best == 0) throw new CudaUnavailableException($"NVRTC supports no architecture at or below sm_{cc} (it supports {string.Join(", ", archs)})");
            return options = KernelCompiler.Options(best, cubin: false);
        }
    }

    /// <summary>The kernel <paramref name="kernel"/> of embedded source <paramref name="file"/> (e.g. elementwise.cu).</summary>
    public KernelFunction Function(string file, string kernel) => Function(file, KernelSources.Source(file), kernel);

    /// <summary>A kernel of any source (tests use this for test-only kernels); cached by name.</summary>
    public KernelFunction Function(string name, string source, string kernel)
    {
        string key = name + "/" + kernel;
        lock (gate)
        {
            if (functions.TryGetValue(key, out var f)) return f;
            if (!modules.TryGetValue(name, out var mod)) modules[name] = mod = Load(name, source);
            dev.MakeCurrent();
            nint h;
            var kb = Encoding.ASCII.GetBytes(kernel + "\0");
            fixed (byte* k = kb) dev.Driver.Check(dev.Driver.cuModuleGetFunction(&h, mod, k), $"cuModuleGetFunction({name}, {kernel})");
            f = new KernelFunction(h, kernel);
            functions[key] = f;
            return f;
        }
    }

    private nint Load(string name, string source)
    {
        var opts = Options;
        var headers = KernelSources.Headers;
        var image = CachedImage(name, source, headers, opts);
        dev.MakeCurrent();
        nint mod;
        fixed (byte* p = image) dev.Driver.Check(dev.Driver.cuModuleLoadData(&mod, p), $"cuModuleLoadData({name}, {string.Join(' ', opts)})");
        return mod;
    }

    private byte[] CachedImage(string name, string source, IReadOnlyDictionary<string, string> headers, string[] opts)
    {
        var (major, minor) = KernelCompiler.NvrtcVersion(search);
        var sb = new StringBuilder(source);
        foreach (var h in headers.OrderBy(h => h.Key, StringComparer.Ordinal)) sb.Append('\0').Append(h.Key).Append('\0').Append(h.Value);
        sb.Append('\0').Append(string.Join(' ', opts)).Append('\0').Append($"nvrtc {major}.{minor}");
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..24].ToLowerInvariant();
        string arch = opts.First(o => o.StartsWith("-arch=", StringComparison.Ordinal))[6..];
        bool cubin = arch.StartsWith("sm_", StringComparison.Ordinal);
        string file = Path.Combine(cacheDir, $"{Path.GetFileNameWithoutExtension(name)}-{arch}-{hash}.{(cubin ? "cubin" : "ptx")}");
        try
        {
            if (File.Exists(file)) return File.ReadAllBytes(file);
        }
        catch (IOException)
        {
        }
        var compiled = KernelCompiler.Compile(name, source, headers, opts, search);
        var image = compiled.IsCubin ? compiled.Image : AppendNul(compiled.Image);
        try
        {
            Directory.CreateDirectory(cacheDir);
            var tmp = file + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(tmp, image);
            File.Move(tmp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the cache is an optimisation: a read-only or full disk only costs a recompile next time
        }
        return image;
    }

    private static byte[] AppendNul(byte[] ptx) => ptx.Length > 0 && ptx[^1] == 0 ? ptx : [.. ptx, 0];
}
