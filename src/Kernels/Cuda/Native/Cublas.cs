using System.Runtime.CompilerServices;

namespace GanAudio.Kernels.Cuda.Native;

/// <summary>cuBLAS (libcublas.so.* / cublas64_*.dll), C names kept: handle, stream, SGEMM/DGEMM and their strided-batched
/// forms (column-major), math mode. <see cref="Check"/> is the choke point.</summary>
internal sealed unsafe class Cublas
{
    public const int CUBLAS_OP_N = 0, CUBLAS_OP_T = 1;
    public const int CUBLAS_DEFAULT_MATH = 0, CUBLAS_TF32_TENSOR_OP_MATH = 3;

    public readonly string Path;
    public readonly delegate* unmanaged<nint*, int> cublasCreate_v2;
    public readonly delegate* unmanaged<nint, int> cublasDestroy_v2;
    public readonly delegate* unmanaged<nint, int*, int> cublasGetVersion_v2;
    public readonly delegate* unmanaged<nint, nint, int> cublasSetStream_v2;
    public readonly delegate* unmanaged<nint, int, int> cublasSetMathMode;
    public readonly delegate* unmanaged<nint, int*, int> cublasGetMathMode;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int> cublasSgemm_v2;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, ulong, int, double*, ulong, int, int> cublasDgemm_v2;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, long, ulong, int, long, float*, ulong, int, long, int, int> cublasSgemmStridedBatched;
    public readonly delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, long, ulong, int, long, double*, ulong, int, long, int, int> cublasDgemmStridedBatched;
    public readonly delegate* unmanaged<int, byte*> cublasGetStatusName;  // null before CUDA 11.4
    public readonly delegate* unmanaged<int, byte*> cublasGetStatusString;

    private Cublas(nint lib, string path)
    {
        Path = path;
        nint E(string n) => LibraryLoader.Export(lib, "cuBLAS " + path, n);
        cublasCreate_v2 = (delegate* unmanaged<nint*, int>)E(nameof(cublasCreate_v2));
        cublasDestroy_v2 = (delegate* unmanaged<nint, int>)E(nameof(cublasDestroy_v2));
        cublasGetVersion_v2 = (delegate* unmanaged<nint, int*, int>)E(nameof(cublasGetVersion_v2));
        cublasSetStream_v2 = (delegate* unmanaged<nint, nint, int>)E(nameof(cublasSetStream_v2));
        cublasSetMathMode = (delegate* unmanaged<nint, int, int>)E(nameof(cublasSetMathMode));
        cublasGetMathMode = (delegate* unmanaged<nint, int*, int>)E(nameof(cublasGetMathMode));
        cublasSgemm_v2 = (delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int>)E(nameof(cublasSgemm_v2));
        cublasDgemm_v2 = (delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, ulong, int, double*, ulong, int, int>)E(nameof(cublasDgemm_v2));
        cublasSgemmStridedBatched = (delegate* unmanaged<nint, int, int, int, int, int, float*, ulong, int, long, ulong, int, long, float*, ulong, int, long, int, int>)E(nameof(cublasSgemmStridedBatched));
        cublasDgemmStridedBatched = (delegate* unmanaged<nint, int, int, int, int, int, double*, ulong, int, long, ulong, int, long, double*, ulong, int, long, int, int>)E(nameof(cublasDgemmStridedBatched));
        cublasGetStatusName = (delegate* unmanaged<int, byte*>)LibraryLoader.OptionalExport(lib, nameof(cublasGetStatusName));
        cublasGetStatusString = (delegate* unmanaged<int, byte*>)LibraryLoader.OptionalExport(lib, nameof(cublasGetStatusString));
    }

    public static Cublas Load(CudaLibrarySearch search)
    {
        if (!LibraryLoader.TryLoad(LibraryLoader.CublasNames, search, out var h, out var path, out var tried))
            throw new CudaUnavailableException($"cuBLAS was not found (tried {tried}); install the CUDA toolkit's cuBLAS, or run with --device cpu");
        return new Cublas(h, path);
    }

    /// <summary>The choke point for cuBLAS calls.</summary>
    public void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        string name = cublasGetStatusName != null ? LibraryLoader.Utf8(cublasGetStatusName(status)) ?? "" : $"cublasStatus {status}";
        string text = cublasGetStatusString != null ? LibraryLoader.Utf8(cublasGetStatusString(status)) ?? "" : "";
        throw new CublasException(call, name, status, text);
    }
}
