using System.Runtime.CompilerServices;

namespace GanAudio.Kernels.Cuda.Native;

/// <summary>CUresult values the backend names in code (the driver names all of them through cuGetErrorName).</summary>
public enum CUresult
{
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_NO_DEVICE = 100,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_NOT_READY = 600,
}

/// <summary>The driver-API subset we call (libcuda.so.1 / nvcuda.dll), C names kept, bound as unmanaged function
/// pointers. <see cref="Check"/> is the one choke point that turns a failed call into a <see cref="CudaException"/>.</summary>
internal sealed unsafe class CuDriver
{
    public const int CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1;
    public const int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK = 8;
    public const int CU_DEVICE_ATTRIBUTE_CLOCK_RATE = 13;
    public const int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    public const int CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE = 36;
    public const int CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH = 37;
    public const int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    public const int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    public const int CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0;
    public const int CU_FUNC_ATTRIBUTE_NUM_REGS = 4;
    public const int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
    public const uint CU_STREAM_NON_BLOCKING = 0x1;   // no implicit synchronisation with the legacy default stream
    public const uint CU_EVENT_DISABLE_TIMING = 0x2;  // cheaper events that only order and report completion
    public const uint CU_MEMHOSTALLOC_PORTABLE = 0x1; // pinned memory usable from every context
    public static readonly nint CU_LAUNCH_PARAM_END = 0, CU_LAUNCH_PARAM_BUFFER_POINTER = 1, CU_LAUNCH_PARAM_BUFFER_SIZE = 2;

    public readonly string Path;

    public readonly delegate* unmanaged<uint, CUresult> cuInit;
    public readonly delegate* unmanaged<int*, CUresult> cuDriverGetVersion;
    public readonly delegate* unmanaged<int*, CUresult> cuDeviceGetCount;
    public readonly delegate* unmanaged<int*, int, CUresult> cuDeviceGet;
    public readonly delegate* unmanaged<byte*, int, int, CUresult> cuDeviceGetName;
    public readonly delegate* unmanaged<int*, int, int, CUresult> cuDeviceGetAttribute;
    public readonly delegate* unmanaged<nuint*, int, CUresult> cuDeviceTotalMem_v2;
    public readonly delegate* unmanaged<nint*, int, CUresult> cuDevicePrimaryCtxRetain;
    public readonly delegate* unmanaged<int, CUresult> cuDevicePrimaryCtxRelease_v2;
    public readonly delegate* unmanaged<nint, CUresult> cuCtxSetCurrent;
    public readonly delegate* unmanaged<nint*, CUresult> cuCtxGetCurrent;
    public readonly delegate* unmanaged<CUresult> cuCtxSynchronize;
    public readonly delegate* unmanaged<nuint*, nuint*, CUresult> cuMemGetInfo_v2;
    public readonly delegate* unmanaged<ulong*, nuint, CUresult> cuMemAlloc_v2;
    public readonly delegate* unmanaged<ulong, CUresult> cuMemFree_v2;
    public readonly delegate* unmanaged<ulong, void*, nuint, CUresult> cuMemcpyHtoD_v2;
    public readonly delegate* unmanaged<void*, ulong, nuint, CUresult> cuMemcpyDtoH_v2;
    public readonly delegate* unmanaged<ulong, ulong, nuint, CUresult> cuMemcpyDtoD_v2;
    public readonly delegate* unmanaged<ulong, void*, nuint, nint, CUresult> cuMemcpyHtoDAsync_v2;
    public readonly delegate* unmanaged<void*, ulong, nuint, nint, CUresult> cuMemcpyDtoHAsync_v2;
    public readonly delegate* unmanaged<void**, nuint, uint, CUresult> cuMemHostAlloc;
    public readonly delegate* unmanaged<void*, CUresult> cuMemFreeHost;
    public readonly delegate* unmanaged<ulong, byte, nuint, CUresult> cuMemsetD8_v2;
    public readonly delegate* unmanaged<ulong, uint, nuint, CUresult> cuMemsetD32_v2;
    public readonly delegate* unmanaged<ulong, uint, nuint, nint, CUresult> cuMemsetD32Async;
    public readonly delegate* unmanaged<nint*, uint, CUresult> cuStreamCreate;
    public readonly delegate* unmanaged<nint, CUresult> cuStreamDestroy_v2;
    public readonly delegate* unmanaged<nint, CUresult> cuStreamSynchronize;
    public readonly delegate* unmanaged<nint, nint, uint, CUresult> cuStreamWaitEvent;
    public readonly delegate* unmanaged<nint*, uint, CUresult> cuEventCreate;
    public readonly delegate* unmanaged<nint, nint, CUresult> cuEventRecord;
    public readonly delegate* unmanaged<nint, CUresult> cuEventQuery;
    public readonly delegate* unmanaged<nint, CUresult> cuEventSynchronize;
    public readonly delegate* unmanaged<float*, nint, nint, CUresult> cuEventElapsedTime;
    public readonly delegate* unmanaged<nint, CUresult> cuEventDestroy_v2;
    public readonly delegate* unmanaged<nint*, void*, CUresult> cuModuleLoadData;
    public readonly delegate* unmanaged<nint, CUresult> cuModuleUnload;
    public readonly delegate* unmanaged<nint*, nint, byte*, CUresult> cuModuleGetFunction;
    public readonly delegate* unmanaged<int*, int, nint, CUresult> cuFuncGetAttribute;
    public readonly delegate* unmanaged<nint, int, int, CUresult> cuFuncSetAttribute;
    public readonly delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, CUresult> cuLaunchKernel;
    public readonly delegate* unmanaged<CUresult, byte**, CUresult> cuGetErrorName;
    public readonly delegate* unmanaged<CUresult, byte**, CUresult> cuGetErrorString;

    // Present only in the simulator's stand-in driver (tests/CudaSim); null on a real driver.
    public readonly delegate* unmanaged<byte*> cudasimGetLastMessage;
    public readonly delegate* unmanaged<int, void> cudasimSetThreadOrder;
    public readonly delegate* unmanaged<int, void> cudasimSetDeviceCount;
    public readonly delegate* unmanaged<nint, long> cudasimStreamOps;
    public readonly delegate* unmanaged<nint, int> cudasimStreamFlags;
    public readonly delegate* unmanaged<int, void> cudasimHoldEvents;
    public readonly delegate* unmanaged<int, void> cudasimSetComputeCapability;

    public bool IsSimulator => cudasimGetLastMessage != null;

    private CuDriver(nint lib, string path)
    {
        Path = path;
        nint E(string n) => LibraryLoader.Export(lib, "the CUDA driver " + path, n);
        cuInit = (delegate* unmanaged<uint, CUresult>)E(nameof(cuInit));
        cuDriverGetVersion = (delegate* unmanaged<int*, CUresult>)E(nameof(cuDriverGetVersion));
        cuDeviceGetCount = (delegate* unmanaged<int*, CUresult>)E(nameof(cuDeviceGetCount));
        cuDeviceGet = (delegate* unmanaged<int*, int, CUresult>)E(nameof(cuDeviceGet));
        cuDeviceGetName = (delegate* unmanaged<byte*, int, int, CUresult>)E(nameof(cuDeviceGetName));
        cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, CUresult>)E(nameof(cuDeviceGetAttribute));
        cuDeviceTotalMem_v2 = (delegate* unmanaged<nuint*, int, CUresult>)E(nameof(cuDeviceTotalMem_v2));
        cuDevicePrimaryCtxRetain = (delegate* unmanaged<nint*, int, CUresult>)E(nameof(cuDevicePrimaryCtxRetain));
        cuDevicePrimaryCtxRelease_v2 = (delegate* unmanaged<int, CUresult>)E(nameof(cuDevicePrimaryCtxRelease_v2));
        cuCtxSetCurrent = (delegate* unmanaged<nint, CUresult>)E(nameof(cuCtxSetCurrent));
        cuCtxGetCurrent = (delegate* unmanaged<nint*, CUresult>)E(nameof(cuCtxGetCurrent));
        cuCtxSynchronize = (delegate* unmanaged<CUresult>)E(nameof(cuCtxSynchronize));
        cuMemGetInfo_v2 = (delegate* unmanaged<nuint*, nuint*, CUresult>)E(nameof(cuMemGetInfo_v2));
        cuMemAlloc_v2 = (delegate* unmanaged<ulong*, nuint, CUresult>)E(nameof(cuMemAlloc_v2));
        cuMemFree_v2 = (delegate* unmanaged<ulong, CUresult>)E(nameof(cuMemFree_v2));
        cuMemcpyHtoD_v2 = (delegate* unmanaged<ulong, void*, nuint, CUresult>)E(nameof(cuMemcpyHtoD_v2));
        cuMemcpyDtoH_v2 = (delegate* unmanaged<void*, ulong, nuint, CUresult>)E(nameof(cuMemcpyDtoH_v2));
        cuMemcpyDtoD_v2 = (delegate* unmanaged<ulong, ulong, nuint, CUresult>)E(nameof(cuMemcpyDtoD_v2));
        cuMemcpyHtoDAsync_v2 = (delegate* unmanaged<ulong, void*, nuint, nint, CUresult>)E(nameof(cuMemcpyHtoDAsync_v2));
        cuMemcpyDtoHAsync_v2 = (delegate* unmanaged<void*, ulong, nuint, nint, CUresult>)E(nameof(cuMemcpyDtoHAsync_v2));
        cuMemHostAlloc = (delegate* unmanaged<void**, nuint, uint, CUresult>)E(nameof(cuMemHostAlloc));
        cuMemFreeHost = (delegate* unmanaged<void*, CUresult>)E(nameof(cuMemFreeHost));
        cuMemsetD8_v2 = (delegate* unmanaged<ulong, byte, nuint, CUresult>)E(nameof(cuMemsetD8_v2));
        cuMemsetD32_v2 = (delegate* unmanaged<ulong, uint, nuint, CUresult>)E(nameof(cuMemsetD32_v2));
        cuMemsetD32Async = (delegate* unmanaged<ulong, uint, nuint, nint, CUresult>)E(nameof(cuMemsetD32Async));
        cuStreamCreate = (delegate* unmanaged<nint*, uint, CUresult>)E(nameof(cuStreamCreate));
        cuStreamDestroy_v2 = (delegate* unmanaged<nint, CUresult>)E(nameof(cuStreamDestroy_v2));
        cuStreamSynchronize = (delegate* unmanaged<nint, CUresult>)E(nameof(cuStreamSynchronize));
        cuStreamWaitEvent = (delegate* unmanaged<nint, nint, uint, CUresult>)E(nameof(cuStreamWaitEvent));
        cuEventCreate = (delegate* unmanaged<nint*, uint, CUresult>)E(nameof(cuEventCreate));
        cuEventRecord = (delegate* unmanaged<nint, nint, CUresult>)E(nameof(cuEventRecord));
        cuEventQuery = (delegate* unmanaged<nint, CUresult>)E(nameof(cuEventQuery));
        cuEventSynchronize = (delegate* unmanaged<nint, CUresult>)E(nameof(cuEventSynchronize));
        cuEventElapsedTime = (delegate* unmanaged<float*, nint, nint, CUresult>)E(nameof(cuEventElapsedTime));
        cuEventDestroy_v2 = (delegate* unmanaged<nint, CUresult>)E(nameof(cuEventDestroy_v2));
        cuModuleLoadData = (delegate* unmanaged<nint*, void*, CUresult>)E(nameof(cuModuleLoadData));
        cuModuleUnload = (delegate* unmanaged<nint, CUresult>)E(nameof(cuModuleUnload));
        cuModuleGetFunction = (delegate* unmanaged<nint*, nint, byte*, CUresult>)E(nameof(cuModuleGetFunction));
        cuFuncGetAttribute = (delegate* unmanaged<int*, int, nint, CUresult>)E(nameof(cuFuncGetAttribute));
        cuFuncSetAttribute = (delegate* unmanaged<nint, int, int, CUresult>)E(nameof(cuFuncSetAttribute));
        cuLaunchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, CUresult>)E(nameof(cuLaunchKernel));
        cuGetErrorName = (delegate* unmanaged<CUresult, byte**, CUresult>)E(nameof(cuGetErrorName));
        cuGetErrorString = (delegate* unmanaged<CUresult, byte**, CUresult>)E(nameof(cuGetErrorString));
        cudasimGetLastMessage = (delegate* unmanaged<byte*>)LibraryLoader.OptionalExport(lib, nameof(cudasimGetLastMessage));
        cudasimSetThreadOrder = (delegate* unmanaged<int, void>)LibraryLoader.OptionalExport(lib, nameof(cudasimSetThreadOrder));
        cudasimSetDeviceCount = (delegate* unmanaged<int, void>)LibraryLoader.OptionalExport(lib, nameof(cudasimSetDeviceCount));
        cudasimStreamOps = (delegate* unmanaged<nint, long>)LibraryLoader.OptionalExport(lib, nameof(cudasimStreamOps));
        cudasimStreamFlags = (delegate* unmanaged<nint, int>)LibraryLoader.OptionalExport(lib, nameof(cudasimStreamFlags));
        cudasimHoldEvents = (delegate* unmanaged<int, void>)LibraryLoader.OptionalExport(lib, nameof(cudasimHoldEvents));
        cudasimSetComputeCapability = (delegate* unmanaged<int, void>)LibraryLoader.OptionalExport(lib, nameof(cudasimSetComputeCapability));
    }

    private static readonly Dictionary<string, CuDriver> Loaded = new();

    /// <summary>Loads (once per resolved path) the driver library, or throws <see cref="CudaUnavailableException"/>
    /// naming what was tried and suggesting <c>--device cpu</c>.</summary>
    public static CuDriver Load(CudaLibrarySearch search)
    {
        if (!LibraryLoader.TryLoad(LibraryLoader.DriverNames, search, out var h, out var path, out var tried))
            throw new CudaUnavailableException(
                $"the CUDA driver library was not found (tried {tried}); install the NVIDIA driver, or run on the CPU with --device cpu");
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(path, out var d)) Loaded[path] = d = new CuDriver(h, path);
            return d;
        }
    }

    /// <summary>The choke point: throws a <see cref="CudaException"/> naming the call, the error name and text
    /// (and the simulator's explanation when running on it).</summary>
    public void Check(CUresult r, [CallerArgumentExpression(nameof(r))] string call = "")
    {
        if (r != CUresult.CUDA_SUCCESS) throw Error(r, call);
    }

    public CudaException Error(CUresult r, string call)
    {
        byte* name = null, text = null;
        cuGetErrorName(r, &name);
        cuGetErrorString(r, &text);
        string? detail = cudasimGetLastMessage != null ? LibraryLoader.Utf8(cudasimGetLastMessage()) : null;
        return new CudaException(call, LibraryLoader.Utf8(name) ?? $"CUresult {(int)r}", (int)r,
            (LibraryLoader.Utf8(text) ?? "unknown error") + (string.IsNullOrEmpty(detail) ? "" : $" [simulator: {detail}]"));
    }
}
