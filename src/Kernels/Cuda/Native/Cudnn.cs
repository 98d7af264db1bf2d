using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GanAudio.Kernels.Cuda.Native;

/// <summary>One entry of cuDNN's algorithm query (cudnnConvolution{Fwd,BwdData,BwdFilter}AlgoPerf_t share this layout).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudnnAlgoPerf
{
    public int Algo;
    public int Status;
    public float Time;
    public nuint Memory;
    public int Determinism;
    public int MathType;
    public int Reserved0, Reserved1, Reserved2;
}

/// <summary>cuDNN (libcudnn.so.9 / .so.8 / cudnn64_*.dll), C names kept: handle, tensor/filter/convolution descriptors,
/// convolution forward, backward-data and backward-filter with algorithm query and workspace size, tensor add (bias). Optional: the
/// backend's convolutions fall back to its own im2col + GEMM when cuDNN is absent. <see cref="Check"/> is the choke point.</summary>
internal sealed unsafe class Cudnn
{
    public const int CUDNN_DATA_FLOAT = 0, CUDNN_DATA_DOUBLE = 1;
    public const int CUDNN_TENSOR_NCHW = 0;
    public const int CUDNN_CROSS_CORRELATION = 1;
    public const int CUDNN_DEFAULT_MATH = 0, CUDNN_TENSOR_OP_MATH = 1, CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION = 2, CUDNN_FMA_MATH = 3;
    public const int CUDNN_DETERMINISTIC = 1;

    public readonly string Path;
    public readonly delegate* unmanaged<nuint> cudnnGetVersion;
    public readonly delegate* unmanaged<int, byte*> cudnnGetErrorString;
    public readonly delegate* unmanaged<nint*, int> cudnnCreate;
    public readonly delegate* unmanaged<nint, int> cudnnDestroy;
    public readonly delegate* unmanaged<nint, nint, int> cudnnSetStream;
    public readonly delegate* unmanaged<nint*, int> cudnnCreateTensorDescriptor;
    public readonly delegate* unmanaged<nint, int, int, int*, int*, int> cudnnSetTensorNdDescriptor;
    public readonly delegate* unmanaged<nint, int> cudnnDestroyTensorDescriptor;
    public readonly delegate* unmanaged<nint*, int> cudnnCreateFilterDescriptor;
    public readonly delegate* unmanaged<nint, int, int, int, int*, int> cudnnSetFilterNdDescriptor;
    public readonly delegate* unmanaged<nint, int> cudnnDestroyFilterDescriptor;
    public readonly delegate* unmanaged<nint*, int> cudnnCreateConvolutionDescriptor;
    public readonly delegate* unmanaged<nint, int, int*, int*, int*, int, int, int> cudnnSetConvolutionNdDescriptor;
    public readonly delegate* unmanaged<nint, int, int> cudnnSetConvolutionMathType;
    public readonly delegate* unmanaged<nint, int> cudnnDestroyConvolutionDescriptor;
    public readonly delegate* unmanaged<nint, nint, nint, nint, nint, int, int*, CudnnAlgoPerf*, int> cudnnGetConvolutionForwardAlgorithm_v7;
    public readonly delegate* unmanaged<nint, nint, nint, nint, nint, int, nuint*, int> cudnnGetConvolutionForwardWorkspaceSize;
    public readonly delegate* unmanaged<nint, void*, nint, ulong, nint, ulong, nint, int, ulong, nuint, void*, nint, ulong, int> cudnnConvolutionForward;
    public readonly delegate* unmanaged<nint, nint, nint, nint, nint, int, int*, CudnnAlgoPerf*, int> cudnnGetConvolutionBackwardDataAlgorithm_v7;
    public readonly delegate* unmanaged<nint, nint, nint, nint, nint, int, nuint*, int> cudnnGetConvolutionBackwardDataWorkspaceSize;
    public readonly delegate* unmanaged<nint, void*, nint, ulong, nint, ulong, nint, int, ulong, nuint, void*, nint, ulong, int> cudnnConvolutionBackwardData;
    public readonly delegate* unmanaged<nint, nint, nint, nint, nint, int, int*, CudnnAlgoPerf*, int> cudnnGetConvolutionBackwardFilterAlgorithm_v7;
    public readonly delegate* unmanaged<nint, nint, nint, nint, nint, int, nuint*, int> cudnnGetConvolutionBackwardFilterWorkspaceSize;
    public readonly delegate* unmanaged<nint, void*, nint, ulong, nint, ulong, nint, int, ulong, nuint, void*, nint, ulong, int> cudnnConvolutionBackwardFilter;
    public readonly delegate* unmanaged<nint, void*, nint, ulong, void*, nint, ulong, int> cudnnAddTensor;

    private Cudnn(nint lib, string path)
    {
        Path = path;
        nint E(string n) => LibraryLoader.Export(lib, "cuDNN " + path, n);
        cudnnGetVersion = (delegate* unmanaged<nuint>)E(nameof(cudnnGetVersion));
        cudnnGetErrorString = (delegate* unmanaged<int, byte*>)E(nameof(cudnnGetErrorString));
        cudnnCreate = (delegate* unmanaged<nint*, int>)E(nameof(cudnnCreate));
        cudnnDestroy = (delegate* unmanaged<nint, int>)E(nameof(cudnnDestroy));
        cudnnSetStream = (delegate* unmanaged<nint, nint, int>)E(nameof(cudnnSetStream));
        cudnnCreateTensorDescriptor = (delegate* unmanaged<nint*, int>)E(nameof(cudnnCreateTensorDescriptor));
        cudnnSetTensorNdDescriptor = (delegate* unmanaged<nint, int, int, int*, int*, int>)E(nameof(cudnnSetTensorNdDescriptor));
        cudnnDestroyTensorDescriptor = (delegate* unmanaged<nint, int>)E(nameof(cudnnDestroyTensorDescriptor));
        cudnnCreateFilterDescriptor = (delegate* unmanaged<nint*, int>)E(nameof(cudnnCreateFilterDescriptor));
        cudnnSetFilterNdDescriptor = (delegate* unmanaged<nint, int, int, int, int*, int>)E(nameof(cudnnSetFilterNdDescriptor));
        cudnnDestroyFilterDescriptor = (delegate* unmanaged<nint, int>)E(nameof(cudnnDestroyFilterDescriptor));
        cudnnCreateConvolutionDescriptor = (delegate* unmanaged<nint*, int>)E(nameof(cudnnCreateConvolutionDescriptor));
        cudnnSetConvolutionNdDescriptor = (delegate* unmanaged<nint, int, int*, int*, int*, int, int, int>)E(nameof(cudnnSetConvolutionNdDescriptor));
        cudnnSetConvolutionMathType = (delegate* unmanaged<nint, int, int>)E(nameof(cudnnSetConvolutionMathType));
        cudnnDestroyConvolutionDescriptor = (delegate* unmanaged<nint, int>)E(nameof(cudnnDestroyConvolutionDescriptor));
        cudnnGetConvolutionForwardAlgorithm_v7 = (delegate* unmanaged<nint, nint, nint, nint, nint, int, int*, CudnnAlgoPerf*, int>)E(nameof(cudnnGetConvolutionForwardAlgorithm_v7));
        cudnnGetConvolutionForwardWorkspaceSize = (delegate* unmanaged<nint, nint, nint, nint, nint, int, nuint*, int>)E(nameof(cudnnGetConvolutionForwardWorkspaceSize));
        cudnnConvolutionForward = (delegate* unmanaged<nint, void*, nint, ulong, nint, ulong, nint, int, ulong, nuint, void*, nint, ulong, int>)E(nameof(cudnnConvolutionForward));
        cudnnGetConvolutionBackwardDataAlgorithm_v7 = (delegate* unmanaged<nint, nint, nint, nint, nint, int, int*, CudnnAlgoPerf*, int>)E(nameof(cudnnGetConvolutionBackwardDataAlgorithm_v7));
        cudnnGetConvolutionBackwardDataWorkspaceSize = (delegate* unmanaged<nint, nint, nint, nint, nint, int, nuint*, int>)E(nameof(cudnnGetConvolutionBackwardDataWorkspaceSize));
        cudnnConvolutionBackwardData = (delegate* unmanaged<nint, void*, nint, ulong, nint, ulong, nint, int, ulong, nuint, void*, nint, ulong, int>)E(nameof(cudnnConvolutionBackwardData));
        cudnnGetConvolutionBackwardFilterAlgorithm_v7 = (delegate* unmanaged<nint, nint, nint, nint, nint, int, int*, CudnnAlgoPerf*, int>)E(nameof(cudnnGetConvolutionBackwardFilterAlgorithm_v7));
        cudnnGetConvolutionBackwardFilterWorkspaceSize = (delegate* unmanaged<nint, nint, nint, nint, nint, int, nuint*, int>)E(nameof(cudnnGetConvolutionBackwardFilterWorkspaceSize));
        cudnnConvolutionBackwardFilter = (delegate* unmanaged<nint, void*, nint, ulong, nint, ulong, nint, int, ulong, nuint, void*, nint, ulong, int>)E(nameof(cudnnConvolutionBackwardFilter));
        cudnnAddTensor = (delegate* unmanaged<nint, void*, nint, ulong, void*, nint, ulong, int>)E(nameof(cudnnAddTensor));
    }

    /// <summary>Loads cuDNN if present; null (not an error) when absent.</summary>
    public static Cudnn? TryLoad(CudaLibrarySearch search) =>
        LibraryLoader.TryLoad(LibraryLoader.CudnnNames, search, out var h, out var path, out _) ? new Cudnn(h, path) : null;

    /// <summary>The choke point for cuDNN calls.</summary>
    public void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        throw new CudnnException(call, $"cudnnStatus {status}", status, LibraryLoader.Utf8(cudnnGetErrorString(status)) ?? "");
    }
}
