using GanAudio.Kernels;

namespace GanAudio.Tensors;

public sealed partial class Tensor
{
    /// <summary><see cref="FromArray(float[], int[], Device?)"/> issued ahead of use: the copy overlaps the work already
    /// queued on the device (CUDA: copy stream, pinned staging); <see cref="PendingTensor.Take"/> gives the tensor.
    /// <paramref name="data"/> may be reused as soon as this returns. On the CPU the copy is done at once.</summary>
    public static PendingTensor FromArrayAhead(float[] data, int[] shape, Device? device = null)
    {
        if (ShapeUtil.NumelLong(shape) != data.Length)
            throw new TensorShapeException($"FromArrayAhead: {data.Length} values do not fill shape {ShapeUtil.Format(shape)}");
        Tensor t;
        using (TensorScope.Suspend()) t = Empty(shape, DType.Float32, device ?? Device.Cpu);
        return Issue(t, x => x.Backend.UploadAhead(data, x.Buffer));
    }

    /// <summary>The float64 (or <paramref name="dtype"/>) form of <see cref="FromArrayAhead(float[], int[], Device?)"/>.</summary>
    public static PendingTensor FromArrayAhead(double[] data, int[] shape, DType dtype = DType.Float64, Device? device = null)
    {
        if (ShapeUtil.NumelLong(shape) != data.Length)
            throw new TensorShapeException($"FromArrayAhead: {data.Length} values do not fill shape {ShapeUtil.Format(shape)}");
        Tensor t;
        using (TensorScope.Suspend()) t = Empty(shape, dtype, device ?? Device.Cpu);
        return Issue(t, x => x.Backend.UploadAhead(data, x.Buffer));
    }

    /// <summary>Wraps the started upload; frees the tensor when the upload could not start.</summary>
    private static PendingTensor Issue(Tensor t, Func<Tensor, UploadFence> upload)
    {
        try
        {
            return new PendingTensor(t, upload(t));
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }
}
