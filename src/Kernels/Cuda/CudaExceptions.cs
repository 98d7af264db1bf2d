namespace GanAudio.Kernels.Cuda;

/// <summary>A failed CUDA library call: the call's text, the error's name, code and message.</summary>
public class CudaException : DeviceException
{
    public CudaException(string call, string errorName, int code, string text, string library = "CUDA driver")
        : base($"{library} call `{call}` failed: {errorName} ({code}): {text}")
    {
        Call = call;
        ErrorName = errorName;
        Code = code;
    }

    protected CudaException(string message) : base(message)
    {
        Call = "";
        ErrorName = "";
    }

    public string Call { get; }

    public string ErrorName { get; }

    public int Code { get; }
}

/// <summary>An NVRTC failure; for a compile error <see cref="Log"/> holds the compiler's log (also in the message).</summary>
public sealed class NvrtcException(string call, string errorName, int code, string log)
    : CudaException(call, errorName, code, string.IsNullOrEmpty(log) ? "" : "compiler log:\n" + log, "NVRTC")
{
    public string Log { get; } = log;
}

public sealed class CublasException(string call, string errorName, int code, string text)
    : CudaException(call, errorName, code, text, "cuBLAS");

public sealed class CudnnException(string call, string errorName, int code, string text)
    : CudaException(call, errorName, code, text, "cuDNN");

/// <summary>CUDA cannot be used here (no driver library, no device, a library missing). The message says what to do.</summary>
public sealed class CudaUnavailableException(string message) : CudaException(message);

/// <summary>A device allocation failed even after the caching allocator released its cached blocks.</summary>
public sealed class CudaOutOfMemoryException : CudaException
{
    public CudaOutOfMemoryException(long requested, long live, long cached, long free, long total)
        : base($"CUDA out of memory: requested {requested} bytes ({Mib(requested)}); {live} bytes ({Mib(live)}) live in buffers, " +
               $"{cached} bytes cached by the allocator, device free {Mib(free)} of {Mib(total)}. Use a smaller batch or --device cpu")
    {
        RequestedBytes = requested;
        LiveBytes = live;
    }

    public long RequestedBytes { get; }

    public long LiveBytes { get; }

    private static string Mib(long b) => $"{b / (1024.0 * 1024.0):F1} MiB";
}
