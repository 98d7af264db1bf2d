namespace GanAudio.Kernels.Cuda;

public sealed unsafe partial class CudaBackend
{
    /// <summary>Elements per chunk of <see cref="AdamStepMulti"/>: one block's share of one tensor.</summary>
    internal const int AdamChunk = 2048;

    private const int AdamTableCacheSize = 8;

    /// <summary>Device tables of <see cref="AdamStepMulti"/>, newest last, keyed by every group's pointers and count: a
    /// parameter set seen before (an optimizer's every step; a GAN's two optimizers alternating) reuses its table with no
    /// upload and no allocation.</summary>
    private readonly List<AdamTable> adamTables = new();

    private sealed record AdamTable(ulong[] Key, CudaBuffer Buffer, int Tensors, int Chunks);

    /// <summary>One launch of adam_step_multi over every group: the pointer/count table and the chunk list live in one
    /// small device buffer, uploaded when this parameter set is new and reused afterwards.</summary>
    public void AdamStepMulti(IReadOnlyList<AdamGroup> groups, in AdamArgs a)
    {
        var (t, ams) = AdamGroup.Validate(groups, "adam_step_multi");
        var table = AdamTableFor(groups);
        if (table is null) return;
        ulong tablePtr = table.Buffer.Pointer;
        var (grid, block) = Dev.Grid1D((long)table.Chunks * 256);
        Dev.Launch(Modules.Function(CudaKernelNames.FusedFile, CudaKernelNames.AdamStepMulti(t)), grid, block, 0,
            new KernelArgs().Ptr(tablePtr).Ptr(tablePtr + (ulong)table.Tensors * 6 * 8).I32(table.Chunks).I32(AdamChunk).I32(ams ? 1 : 0)
                .Scalar(t, a.WeightDecay).Scalar(t, 1 - a.Beta1).Scalar(t, a.Beta2).Scalar(t, 1 - a.Beta2)
                .Scalar(t, a.StepSize).Scalar(t, a.Bc2Sqrt).Scalar(t, a.Eps));
    }

    /// <summary>The cached table for these groups, built and uploaded on a miss (null when there is no element).</summary>
    private AdamTable? AdamTableFor(IReadOnlyList<AdamGroup> groups)
    {
        lock (adamTables)
        {
            for (int i = adamTables.Count - 1; i >= 0; i--)
                if (Matches(adamTables[i].Key, groups)) return adamTables[i];
            var key = KeyOf(groups);
            var chunks = new List<ulong>();
            for (int k = 0; k < groups.Count; k++)
                for (long s = 0; s < groups[k].Count; s += AdamChunk) chunks.Add(((ulong)k << 32) | (ulong)s);
            if (chunks.Count == 0) return null;
            var host = new ulong[groups.Count * 6 + chunks.Count];
            for (int k = 0; k < groups.Count; k++) Array.Copy(key, k * 6, host, k * 6, 6);
            chunks.CopyTo(host, groups.Count * 6);
            var buf = (CudaBuffer)Allocate(DType.Float64, host.Length);
            Dev.MakeCurrent();
            Dev.Counters.ToDevice(host.Length * 8L);
            fixed (ulong* p = host) Dev.Driver.Check(Dev.Driver.cuMemcpyHtoD_v2(buf.Pointer, p, (nuint)(host.Length * 8L)));
            if (adamTables.Count == AdamTableCacheSize)
            {
                adamTables[0].Buffer.Dispose();
                adamTables.RemoveAt(0);
            }
            var entry = new AdamTable(key, buf, groups.Count, chunks.Count);
            adamTables.Add(entry);
            return entry;
        }
    }

    /// <summary>Per group: p, g, m, v, vmax (v without AMSGrad) pointers and the count, as the kernel's table holds them.</summary>
    private static ulong[] KeyOf(IReadOnlyList<AdamGroup> groups)
    {
        var key = new ulong[groups.Count * 6];
        for (int k = 0; k < groups.Count; k++) Row(groups[k], key.AsSpan(k * 6, 6));
        return key;
    }

    private static void Row(in AdamGroup g, Span<ulong> r)
    {
        r[0] = Cu(g.Param).Pointer;
        r[1] = Cu(g.Grad).Pointer;
        r[2] = Cu(g.M).Pointer;
        r[3] = Cu(g.V).Pointer;
        r[4] = Cu(g.VMax ?? g.V).Pointer;
        r[5] = (ulong)g.Count;
    }

    private static bool Matches(ulong[] key, IReadOnlyList<AdamGroup> groups)
    {
        if (key.Length != groups.Count * 6) return false;
        Span<ulong> r = stackalloc ulong[6];
        for (int k = 0; k < groups.Count; k++)
        {
            Row(groups[k], r);
            if (!r.SequenceEqual(key.AsSpan(k * 6, 6))) return false;
        }
        return true;
    }

    /// <summary>One launch of bias_leaky_relu_fwd over [outer, channels, inner].</summary>
    public void BiasLeakyRelu(DeviceBuffer x, DeviceBuffer bias, DeviceBuffer y, int outer, int channels, int inner, double alpha)
    {
        var xs = Cu(x);
        var bs = Cu(bias);
        var ys = Cu(y);
        if (xs.DType != ys.DType || bs.DType != ys.DType)
            throw new ArgumentException($"bias_leaky_relu: dtypes differ ({xs.DType}, {bs.DType}, {ys.DType})");
        long n = (long)outer * channels * inner;
        CheckRange(xs, 0, n, "bias_leaky_relu");
        CheckRange(ys, 0, n, "bias_leaky_relu");
        CheckRange(bs, 0, channels, "bias_leaky_relu bias");
        if (n == 0) return;
        var (g, b) = Dev.Grid1D(n);
        var t = ys.DType;
        Dev.Launch(Modules.Function(CudaKernelNames.FusedFile, CudaKernelNames.BiasLeakyRelu(t)), g, b, 0,
            new KernelArgs().Ptr(xs.Pointer).Ptr(bs.Pointer).Ptr(ys.Pointer).I64(n).I32(channels).I32(inner).Scalar(t, alpha));
    }

    /// <summary>One launch of per_example_norm_fwd: a block per row (grid-stride), block reduction in double.</summary>
    public void PerExampleNorm(DeviceBuffer x, DeviceBuffer y, int rows, int n, double eps)
    {
        var xs = Cu(x);
        var ys = Cu(y);
        if (xs.DType != ys.DType) throw new ArgumentException($"per_example_norm: dtypes differ ({xs.DType}, {ys.DType})");
        CheckRange(xs, 0, (long)rows * n, "per_example_norm");
        CheckRange(ys, 0, rows, "per_example_norm");
        if (rows == 0) return;
        const int block = 256;
        uint grid = (uint)Math.Clamp(rows, 1, Dev.MultiprocessorCount * 32);
        Dev.Launch(Modules.Function(CudaKernelNames.FusedFile, CudaKernelNames.PerExampleNorm(xs.DType)), grid, block, block / 32 * 8,
            new KernelArgs().Ptr(xs.Pointer).Ptr(ys.Pointer).I32(rows).I32(n).Scalar(xs.DType, eps));
    }
}
