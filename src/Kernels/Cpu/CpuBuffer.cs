namespace GanAudio.Kernels.Cpu;

/// <summary>A CPU buffer backed by a managed array (float[] or double[]) taken from <see cref="CpuMemoryPool"/>.</summary>
public sealed class CpuBuffer : DeviceBuffer
{
    private readonly CpuBackend backend;
    private float[]? f32;
    private double[]? f64;

    internal CpuBuffer(CpuBackend backend, DType dtype, int length) : base(dtype, length)
    {
        this.backend = backend;
        if (dtype == DType.Float32) f32 = CpuMemoryPool.RentFloat(length);
        else if (dtype == DType.Float64) f64 = CpuMemoryPool.RentDouble(length);
        else throw DTypeExtensions.Unsupported(dtype, "allocate (CPU)");
    }

    public override IBackend Backend => backend;

    /// <summary>The float32 storage (length may exceed <see cref="DeviceBuffer.Length"/>).</summary>
    public float[] F32
    {
        get
        {
            ThrowIfDisposed();
            return f32 ?? throw new InvalidOperationException($"buffer is {DType}, not Float32");
        }
    }

    /// <summary>The float64 storage (length may exceed <see cref="DeviceBuffer.Length"/>).</summary>
    public double[] F64
    {
        get
        {
            ThrowIfDisposed();
            return f64 ?? throw new InvalidOperationException($"buffer is {DType}, not Float64");
        }
    }

    public Span<float> SpanF32 => F32.AsSpan(0, Length);

    public Span<double> SpanF64 => F64.AsSpan(0, Length);

    protected override void Release()
    {
        if (f32 is not null) CpuMemoryPool.Return(f32);
        if (f64 is not null) CpuMemoryPool.Return(f64);
        f32 = null;
        f64 = null;
    }
}
