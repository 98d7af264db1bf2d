using GanAudio.Kernels;

namespace GanAudio.Tensors;

public sealed partial class Tensor
{
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var t = Empty(shape, dtype, device ?? Device.Cpu);
        t.Backend.Fill(t.Buffer, 0, t.Numel, value);
        return t;
    }

    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) => Full([], value, dtype, device);

    public Tensor ZerosLike() => Zeros(Shape, DType, Device);

    public Tensor OnesLike() => Ones(Shape, DType, Device);

    /// <summary>[start, start + step, …) with <paramref name="count"/> elements (torch.arange).</summary>
    public static Tensor Arange(int count, double start = 0, double step = 1, DType dtype = DType.Float32, Device? device = null)
    {
        var t = Empty([count], dtype, device ?? Device.Cpu);
        t.Backend.Arange(t.Buffer, count, start, step);
        return t;
    }

    public static Tensor FromArray(float[] data, int[] shape, Device? device = null)
    {
        if (ShapeUtil.NumelLong(shape) != data.Length)
            throw new TensorShapeException($"FromArray: {data.Length} values do not fill shape {ShapeUtil.Format(shape)}");
        var t = Empty(shape, DType.Float32, device ?? Device.Cpu);
        t.Backend.Upload(data, t.Buffer);
        return t;
    }

    public static Tensor FromArray(double[] data, int[] shape, DType dtype = DType.Float64, Device? device = null)
    {
        if (ShapeUtil.NumelLong(shape) != data.Length)
            throw new TensorShapeException($"FromArray: {data.Length} values do not fill shape {ShapeUtil.Format(shape)}");
        var t = Empty(shape, dtype, device ?? Device.Cpu);
        t.Backend.Upload(data, t.Buffer);
        return t;
    }

    /// <summary>Uniform numbers in [low, high) (torch.rand / uniform_).</summary>
    public static Tensor Rand(int[] shape, RandomStream? gen = null, double low = 0, double high = 1, DType dtype = DType.Float32, Device? device = null)
    {
        gen ??= RandomStream.Default;
        var t = Empty(shape, dtype, device ?? Device.Cpu);
        t.Backend.RandomUniform(t.Buffer, t.Numel, gen.Seed, gen.Take(t.Numel), low, high);
        return t;
    }

    /// <summary>Normal numbers (torch.randn / normal_).</summary>
    public static Tensor Randn(int[] shape, RandomStream? gen = null, double mean = 0, double std = 1, DType dtype = DType.Float32, Device? device = null)
    {
        gen ??= RandomStream.Default;
        var t = Empty(shape, dtype, device ?? Device.Cpu);
        t.Backend.RandomNormal(t.Buffer, t.Numel, gen.Seed, gen.Take(t.Numel), mean, std);
        return t;
    }

    /// <summary>The elements in row-major order as float32.</summary>
    public float[] ToFloatArray() => Read(new float[Numel], static (b, o, r) => b.Backend.Download(b, o, r));

    /// <summary>The elements in row-major order as float64.</summary>
    public double[] ToDoubleArray() => Read(new double[Numel], static (b, o, r) => b.Backend.Download(b, o, r));

    /// <summary>Downloads the elements into <paramref name="result"/>, through a contiguous copy when this is a view.</summary>
    private T[] Read<T>(T[] result, Action<DeviceBuffer, int, T[]> download)
    {
        if (result.Length == 0) return result;
        if (IsContiguous)
        {
            download(Buffer, Offset, result);
            return result;
        }
        using var c = ContiguousCopy();
        download(c.Buffer, 0, result);
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        if (Numel != 1) throw new TensorShapeException($"Item: tensor of shape {ShapeUtil.Format(Shape)} has {Numel} elements, not 1");
        var r = new double[1];
        Backend.Download(Buffer, Offset, r);
        return r[0];
    }

    /// <summary>A contiguous copy with no autograd history.</summary>
    internal Tensor ContiguousCopy(DType? dtype = null)
    {
        var t = Empty(Shape, dtype ?? DType, Device);
        if (t.Numel > 0) Backend.Copy(Operand(), Shape, t.Buffer);
        return t;
    }

    /// <summary>Copies this tensor to another device (no autograd across devices).</summary>
    public Tensor To(Device device)
    {
        if (device == Device) return Detach();
        var data = DType switch { DType.Float32 => (Array)ToFloatArray(), DType.Float64 => ToDoubleArray(), _ => throw DTypeExtensions.Unsupported(DType, "to device") };
        return data is float[] f ? FromArray(f, Shape, device) : FromArray((double[])data, Shape, DType, device);
    }
}
