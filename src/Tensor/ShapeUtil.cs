namespace GanAudio.Tensors;

/// <summary>Shape arithmetic: element counts, contiguous strides, broadcasting, axis normalisation.</summary>
public static class ShapeUtil
{
    public static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    public static long NumelLong(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int s in shape) n *= s;
        return n;
    }

    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = NumelLong(shape);
        if (n > int.MaxValue) throw new TensorShapeException($"tensor of shape {Format(shape.ToArray())} has {n} elements; at most {int.MaxValue} are supported");
        return (int)n;
    }

    public static int[] ContiguousStrides(int[] shape)
    {
        var st = new int[shape.Length];
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            st[d] = s;
            s *= Math.Max(shape[d], 1);
        }
        return st;
    }

    public static bool IsContiguous(int[] shape, int[] strides)
    {
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 1) continue;
            if (strides[d] != s) return false;
            s *= shape[d];
        }
        return true;
    }

    /// <summary>NumPy/PyTorch broadcasting of two shapes.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1;
            int db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw TensorShapeException.For(op, "shapes cannot be broadcast together", a, b);
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /// <summary>Strides that read a tensor of shape/strides as the larger broadcast shape (0 on broadcast axes).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] target)
    {
        int r = target.Length, off = r - shape.Length;
        var st = new int[r];
        for (int i = 0; i < r; i++)
        {
            int j = i - off;
            st[i] = j < 0 || (shape[j] == 1 && target[i] != 1) ? 0 : strides[j];
        }
        return st;
    }

    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1)) throw new TensorShapeException($"{op}: axis {axis} out of range for rank {rank}");
        return a;
    }

    /// <summary>Sorted unique normalised axes; null or empty means all axes.</summary>
    public static int[] NormalizeAxes(int[]? axes, int rank, string op)
    {
        if (axes is null || axes.Length == 0) return Enumerable.Range(0, rank).ToArray();
        return axes.Select(a => NormalizeAxis(a, rank, op)).Distinct().OrderBy(a => a).ToArray();
    }

    public static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
