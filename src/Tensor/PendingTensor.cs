using GanAudio.Kernels;

namespace GanAudio.Tensors;

/// <summary>A tensor whose data is still on its way to the device (<see cref="Tensor.FromArrayAhead(float[], int[], Device?)"/>):
/// on CUDA the copy runs on the device's copy stream, overlapping the work already queued. <see cref="Take"/> hands the
/// tensor over: work issued after it sees the data (the compute stream waits for the copy; the host never waits).
/// Belongs to no <see cref="TensorScope"/> until taken. Like torch's <c>x.to(device, non_blocking=True)</c> on a side
/// stream followed by <c>torch.cuda.current_stream().wait_stream(side)</c>.</summary>
public sealed class PendingTensor : IDisposable
{
    private Tensor? tensor;
    private UploadFence fence;

    internal PendingTensor(Tensor tensor, UploadFence fence)
    {
        this.tensor = tensor;
        this.fence = fence;
        Shape = tensor.Shape;
        DType = tensor.DType;
        Device = tensor.Device;
    }

    public int[] Shape { get; }

    public DType DType { get; }

    public Device Device { get; }

    /// <summary>True once <see cref="Take"/> or <see cref="Dispose"/> was called.</summary>
    public bool IsTaken => tensor is null;

    /// <summary>The tensor, owned by the current <see cref="TensorScope"/> (if any) like a newly created one; later work
    /// on its device is ordered after the copy. Once.</summary>
    public Tensor Take()
    {
        var t = tensor ?? throw new InvalidOperationException("PendingTensor.Take: already taken or disposed");
        Join();
        tensor = null;
        TensorScope.Register(t);
        return t;
    }

    /// <summary>Releases the tensor if it was not taken (after ordering its release behind the copy).</summary>
    public void Dispose()
    {
        if (tensor is not { } t) return;
        Join();
        tensor = null;
        t.Dispose();
    }

    private void Join()
    {
        var f = fence;
        fence = UploadFence.Completed;
        tensor!.Backend.AwaitUpload(f);
    }
}
