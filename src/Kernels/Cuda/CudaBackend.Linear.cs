namespace GanAudio.Kernels.Cuda;

public sealed partial class CudaBackend
{
    public void Gemm(in GemmArgs args, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) =>
        throw new NotSupportedException("CUDA GEMM is not implemented yet (issue #7 part 2); use --device cpu");

    public void Conv1dForward(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y) =>
        throw new NotSupportedException("CUDA conv1d is not implemented yet (issue #7 part 2); use --device cpu");

    public void Conv1dBackwardData(in Conv1dGeometry g, DeviceBuffer gy, DeviceBuffer w, DeviceBuffer gx) =>
        throw new NotSupportedException("CUDA conv1d is not implemented yet (issue #7 part 2); use --device cpu");

    public void Conv1dBackwardWeight(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer gy, DeviceBuffer gw) =>
        throw new NotSupportedException("CUDA conv1d is not implemented yet (issue #7 part 2); use --device cpu");
}
