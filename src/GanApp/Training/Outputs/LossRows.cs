using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>Per-iteration scalars kept on the training device until the host asks for them: a float64 tensor of
/// <see cref="Capacity"/> rows × <see cref="Columns"/> values, one row per iteration. A value is written into the current
/// row with one device copy (<c>row[i, j] ← scalar</c>, PyTorch's <c>rows[i, j].copy_(scalar)</c>: a slice view and
/// <see cref="Tensor.CopyFrom"/>), so an iteration never waits for the device; <see cref="Read"/> downloads all written
/// rows at once (one host synchronisation per read) and zeroes them for the next interval. A column not written in an
/// iteration reads 0. float32 and float64 sources convert to float64 exactly, so the host sees the very values that
/// <c>Item()</c> would have given.</summary>
public sealed class LossRows : IDisposable
{
    private readonly Tensor rows;

    public LossRows(int capacity, int columns, Device device)
    {
        if (capacity < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "a loss table needs at least one row and one column");
        (Capacity, Columns) = (capacity, columns);
        using (TensorScope.Suspend()) rows = Tensor.Zeros([capacity * columns], DType.Float64, device);
    }

    public int Capacity { get; }

    public int Columns { get; }

    /// <summary>Rows completed since the last <see cref="Read"/>; the current row is this index.</summary>
    public int Count { get; private set; }

    public bool Full => Count == Capacity;

    /// <summary>rows[Count, column] ← the one element of <paramref name="scalar"/> (a device copy; no host read). A later
    /// write to the same column of the same row replaces it.</summary>
    public void Write(int column, Tensor scalar)
    {
        if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column outside [0, {Columns})");
        if (Full) throw new InvalidOperationException($"all {Capacity} rows are written: read them first");
        if (scalar.Numel != 1) throw new ArgumentException($"a loss row takes one-element tensors, not shape [{string.Join(", ", scalar.Shape)}]", nameof(scalar));
        using var slot = rows.Slice(0, Count * Columns + column, 1);
        if (scalar.Rank <= 1) slot.CopyFrom(scalar);
        else
        {
            using var detached = scalar.Detach();
            using var flat = detached.Reshape(1);
            slot.CopyFrom(flat);
        }
    }

    /// <summary>Closes the current row: later writes go to the next one.</summary>
    public void EndRow()
    {
        if (Full) throw new InvalidOperationException($"all {Capacity} rows are written: read them first");
        Count++;
    }

    /// <summary>The completed rows, row-major (<see cref="Count"/> × <see cref="Columns"/> values), in one download; then
    /// zeroes them and starts again at row 0.</summary>
    public double[] Read()
    {
        if (Count == 0) return [];
        int n = Count * Columns;
        using var used = rows.Slice(0, 0, n);
        var values = used.ToDoubleArray();
        used.ZeroInPlace();
        Count = 0;
        return values;
    }

    /// <summary>Forgets the rows written since the last read, a partly written current row included (back to a
    /// checkpoint).</summary>
    public void Clear()
    {
        rows.ZeroInPlace();
        Count = 0;
    }

    public void Dispose() => rows.Dispose();
}
