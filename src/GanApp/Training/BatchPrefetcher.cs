using GanAudio.App.Data;
using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>Gives the trainer each step's real batch as a tensor [batch, 1, length] on its device, with the following
/// batch already on its way: right after handing out batch k it assembles batch k + 1 on the host and starts its upload
/// (<see cref="Tensor.FromArrayAhead(float[], int[], Device?)"/>: on CUDA a copy stream, overlapping step k's kernels).
/// The batches and their order are exactly those of <see cref="ITrainingData.NextBatch"/> without it, and
/// <see cref="ITrainingData.State"/> keeps meaning "before the next batch the trainer takes": after reading ahead the
/// data is put back to the state before the read-ahead batch, and moved past it when that batch is taken. If the data
/// was moved meanwhile (a checkpoint restored), the read-ahead batch is dropped. Reads ahead only off the CPU by default
/// (on the CPU there is nothing to overlap), like PyTorch's <c>DataLoader(pin_memory=True)</c> with a CUDA-stream prefetcher.</summary>
public sealed class BatchPrefetcher(ITrainingData data, Device device, bool? readAhead = null) : IDisposable
{
    private readonly bool ahead = readAhead ?? device.Type != DeviceType.Cpu;
    private Pending? pending;

    private sealed record Pending(AudioBatch Batch, BatcherState Before, BatcherState After, PendingTensor Upload);

    /// <summary>True while a read-ahead batch is waiting (tests).</summary>
    public bool HasPending => pending is not null;

    /// <summary>The next batch and its device tensor (owned by the current <see cref="TensorScope"/>).</summary>
    public (AudioBatch Batch, Tensor Real) Next()
    {
        AudioBatch batch;
        Tensor real;
        if (pending is { } p && data.State == p.Before)
        {
            data.Restore(p.After);
            pending = null;
            (batch, real) = (p.Batch, p.Upload.Take());
        }
        else
        {
            Drop();
            batch = data.NextBatch();
            real = Tensor.FromArray(batch.Data, Shape(batch), device);
        }
        if (ahead) ReadAhead();
        return (batch, real);
    }

    private void ReadAhead()
    {
        var before = data.State;
        var next = data.NextBatch();
        var after = data.State;
        data.Restore(before);
        pending = new Pending(next, before, after, Tensor.FromArrayAhead(next.Data, Shape(next), device));
    }

    private static int[] Shape(AudioBatch b) => [b.Batch, 1, b.Length];

    private void Drop()
    {
        pending?.Upload.Dispose();
        pending = null;
    }

    public void Dispose() => Drop();
}
