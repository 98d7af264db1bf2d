namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    private const int RandomChunk = 1 << 14;

    public void RandomUniform(DeviceBuffer dst, int count, ulong seed, ulong offset, double low, double high)
    {
        var d = Cpu(dst);
        d.DType.RequireSupported("random uniform");  // the loop's else is float64
        CpuParallel.ForChunks(count, RandomChunk, (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                double v = Philox.Uniform(seed, offset + (ulong)i, low, high);
                if (d.DType == DType.Float32) d.F32[i] = (float)v;
                else d.F64[i] = v;
            }
        });
    }

    public void RandomNormal(DeviceBuffer dst, int count, ulong seed, ulong offset, double mean, double std)
    {
        var d = Cpu(dst);
        d.DType.RequireSupported("random normal");  // the loop's else is float64
        CpuParallel.ForChunks(count, RandomChunk, (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                double v = mean + std * Philox.Normal(seed, offset + (ulong)i);
                if (d.DType == DType.Float32) d.F32[i] = (float)v;
                else d.F64[i] = v;
            }
        });
    }
}
