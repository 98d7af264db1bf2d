namespace GanAudio.Kernels;

/// <summary>A compute device failed or is not there (for CUDA: a driver, NVRTC, cuBLAS or cuDNN call, no driver or device,
/// out of device memory). Shared vocabulary like <see cref="Device"/>: the layers above catch this type, never a
/// backend's own exception types. The message is one line meant for the user.</summary>
public abstract class DeviceException : Exception
{
    protected DeviceException(string message) : base(message)
    {
    }
}
