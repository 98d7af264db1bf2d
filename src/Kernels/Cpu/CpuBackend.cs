namespace GanAudio.Kernels.Cpu;

/// <summary>The CPU implementation of <see cref="IBackend"/>: SIMD C# (Vector512 where the CPU has it, else Vector256,
/// scalar tails), work split over cores by <see cref="CpuParallel"/>. Kernel families live in the other partial files.</summary>
public sealed partial class CpuBackend : IBackend
{
    public static CpuBackend Instance { get; } = new();

    private CpuBackend()
    {
    }

    public Device Device => Device.Cpu;

    public DeviceBuffer Allocate(DType dtype, int length) => new CpuBuffer(this, dtype, length);

    /// <summary>The bytes of <see cref="CpuMemoryPool"/> (every CPU tensor buffer) and their peaks.</summary>
    public MemoryStats Memory => CpuMemoryPool.Stats();

    public void ResetPeakMemory() => CpuMemoryPool.ResetPeak();

    internal static CpuBuffer Cpu(DeviceBuffer b) =>
        b as CpuBuffer ?? throw new ArgumentException($"buffer on {b.Backend.Device} passed to the CPU backend");

    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset = 0)
    {
        var d = Cpu(dst);
        d.DType.RequireSupported("upload");  // below, a dtype that is not the span's is the other float type
        if (d.DType == DType.Float32) src.CopyTo(d.SpanF32[dstOffset..]);
        else
        {
            var s = d.SpanF64.Slice(dstOffset, src.Length);
            for (int i = 0; i < src.Length; i++) s[i] = src[i];
        }
    }

    public void Upload(ReadOnlySpan<double> src, DeviceBuffer dst, int dstOffset = 0)
    {
        var d = Cpu(dst);
        d.DType.RequireSupported("upload");  // below, a dtype that is not the span's is the other float type
        if (d.DType == DType.Float64) src.CopyTo(d.SpanF64[dstOffset..]);
        else
        {
            var s = d.SpanF32.Slice(dstOffset, src.Length);
            for (int i = 0; i < src.Length; i++) s[i] = (float)src[i];
        }
    }

    public void Download(DeviceBuffer src, int srcOffset, Span<float> dst)
    {
        var s = Cpu(src);
        s.DType.RequireSupported("download");  // below, a dtype that is not the span's is the other float type
        if (s.DType == DType.Float32) s.SpanF32.Slice(srcOffset, dst.Length).CopyTo(dst);
        else
        {
            var x = s.SpanF64.Slice(srcOffset, dst.Length);
            for (int i = 0; i < dst.Length; i++) dst[i] = (float)x[i];
        }
    }

    public void Download(DeviceBuffer src, int srcOffset, Span<double> dst)
    {
        var s = Cpu(src);
        s.DType.RequireSupported("download");  // below, a dtype that is not the span's is the other float type
        if (s.DType == DType.Float64) s.SpanF64.Slice(srcOffset, dst.Length).CopyTo(dst);
        else
        {
            var x = s.SpanF32.Slice(srcOffset, dst.Length);
            for (int i = 0; i < dst.Length; i++) dst[i] = x[i];
        }
    }

    public void Fill(DeviceBuffer dst, int offset, int count, double value)
    {
        var d = Cpu(dst);
        d.DType.RequireSupported("fill");  // below, a dtype that is not the span's is the other float type
        if (d.DType == DType.Float32) d.SpanF32.Slice(offset, count).Fill((float)value);
        else d.SpanF64.Slice(offset, count).Fill(value);
    }

    public void Arange(DeviceBuffer dst, int count, double start, double step)
    {
        var d = Cpu(dst);
        d.DType.RequireSupported("arange");  // below, a dtype that is not the span's is the other float type
        if (d.DType == DType.Float32)
        {
            var s = d.SpanF32;
            for (int i = 0; i < count; i++) s[i] = (float)(start + i * step);
        }
        else
        {
            var s = d.SpanF64;
            for (int i = 0; i < count; i++) s[i] = start + i * step;
        }
    }

    public void Synchronize()
    {
    }
}
