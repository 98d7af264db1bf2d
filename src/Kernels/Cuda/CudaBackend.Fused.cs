namespace GanAudio.Kernels.Cuda;

public sealed unsafe partial class CudaBackend
{
    /// <summary>Elements per chunk of <see cref="AdamStepMulti"/>: one block's share of one tensor.</summary>
    internal const int AdamChunk = 2048;

    private const int AdamTableCacheSize = 8;

    /// <summary>Device tables of <see cref="AdamStepMulti"/>, newest last, keyed by every group's parameter and moment
    /// pointers and count: a parameter set seen before (an optimizer's every step; a GAN's two optimizers alternating)
    /// reuses its table with no allocation and no upload. The gradient pointers sit in their own slot of the table and
    /// are uploaded again (8 bytes per tensor, no allocation) only when they differ from the last call's.</summary>
    private readonly List<AdamTable> adamTables = new();

    /// <summary>One device table: [5·T] {p, m, v, vmax, count} | [T] grads | [chunks] {tensor &lt;&lt; 32 | start}. Its memory
    /// comes straight from the allocator (backend workspace, not a tensor's buffer).</summary>
    private sealed class AdamTable(ulong[] key, ulong[] grads, ulong ptr, long bytes, int chunks)
    {
        public readonly ulong[] Key = key, Grads = grads;
        public readonly ulong Ptr = ptr;
        public readonly long Bytes = bytes;
        public readonly int Chunks = chunks;
        public int Tensors => Grads.Length;
        public ulong GradsPtr => Ptr + (ulong)Tensors * 5 * 8;
        public ulong ChunksPtr => Ptr + (ulong)Tensors * 6 * 8;
    }

    /// <summary>One launch of adam_step_multi over every group: the pointer/count table and the chunk list live in one
    /// small device buffer, uploaded when this parameter set is new and reused afterwards.</summary>
    public void AdamStepMulti(IReadOnlyList<AdamGroup> groups, in AdamArgs a)
    {
        var (t, ams) = AdamGroup.Validate(groups, "adam_step_multi");
        var table = AdamTableFor(groups);
        if (table is null) return;
        var (grid, block) = Dev.Grid1D((long)table.Chunks * 256);
        Dev.Launch(Modules.Plain(CudaKernel.AdamStepMulti, t), grid, block, 0,
            new KernelArgs().Ptr(table.Ptr).Ptr(table.GradsPtr).Ptr(table.ChunksPtr).I32(table.Chunks).I32(AdamChunk).I32(ams ? 1 : 0)
                .Scalar(t, a.WeightDecay).Scalar(t, 1 - a.Beta1).Scalar(t, a.Beta2).Scalar(t, 1 - a.Beta2)
                .Scalar(t, a.StepSize).Scalar(t, a.Bc2Sqrt).Scalar(t, a.Eps));
    }

    /// <summary>The cached table for these groups, built and uploaded on a miss (null when there is no element); on a hit
    /// only changed gradient pointers are uploaded.</summary>
    private AdamTable? AdamTableFor(IReadOnlyList<AdamGroup> groups)
    {
        lock (adamTables)
        {
            for (int i = adamTables.Count - 1; i >= 0; i--)
            {
                var hit = adamTables[i];
                if (!Matches(hit.Key, groups)) continue;
                bool same = true;
                for (int k = 0; k < groups.Count && same; k++) same = hit.Grads[k] == Cu(groups[k].Grad).Pointer;
                if (!same)
                {
                    for (int k = 0; k < groups.Count; k++) hit.Grads[k] = Cu(groups[k].Grad).Pointer;
                    UploadWords(hit.Grads, hit.GradsPtr);
                }
                return hit;
            }
            var key = KeyOf(groups);
            var chunks = new List<ulong>();
            for (int k = 0; k < groups.Count; k++)
                for (long s = 0; s < groups[k].Count; s += AdamChunk) chunks.Add(((ulong)k << 32) | (ulong)s);
            if (chunks.Count == 0) return null;
            var grads = groups.Select(g => Cu(g.Grad).Pointer).ToArray();
            var host = new ulong[key.Length + grads.Length + chunks.Count];
            key.CopyTo(host, 0);
            grads.CopyTo(host, key.Length);
            chunks.CopyTo(host, key.Length + grads.Length);
            long bytes = host.Length * 8L;
            ulong ptr = Allocator.Allocate(bytes, Dev.Stream, out long block, reuse: false);  // kept: never a pooled block
            UploadWords(host, ptr);
            if (adamTables.Count == AdamTableCacheSize)
            {
                Allocator.Free(adamTables[0].Ptr, adamTables[0].Bytes, Dev.Stream);
                adamTables.RemoveAt(0);
            }
            var entry = new AdamTable(key, grads, ptr, block, chunks.Count);
            adamTables.Add(entry);
            return entry;
        }
    }

    // in stream order through the pinned staging ring: a table slot is rewritten only after the launches queued before
    // it have read it, and the host does not wait
    private void UploadWords(ulong[] words, ulong dst)
    {
        fixed (ulong* p = words) ToDevice(p, words.Length * 8L, dst, Dev.Stream);
    }

    /// <summary>Per group: p, m, v, vmax (v without AMSGrad) pointers and the count, as the kernel's table holds them.</summary>
    private static ulong[] KeyOf(IReadOnlyList<AdamGroup> groups)
    {
        var key = new ulong[groups.Count * 5];
        for (int k = 0; k < groups.Count; k++) Row(groups[k], key.AsSpan(k * 5, 5));
        return key;
    }

    private static void Row(in AdamGroup g, Span<ulong> r)
    {
        r[0] = Cu(g.Param).Pointer;
        r[1] = Cu(g.M).Pointer;
        r[2] = Cu(g.V).Pointer;
        r[3] = Cu(g.VMax ?? g.V).Pointer;
        r[4] = (ulong)g.Count;
    }

    private static bool Matches(ulong[] key, IReadOnlyList<AdamGroup> groups)
    {
        if (key.Length != groups.Count * 5) return false;
        Span<ulong> r = stackalloc ulong[5];
        for (int k = 0; k < groups.Count; k++)
        {
            Row(groups[k], r);
            if (!r.SequenceEqual(key.AsSpan(k * 5, 5))) return false;
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
        Dev.Launch(Modules.Plain(CudaKernel.BiasLeakyRelu, t), g, b, 0,
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
        Dev.Launch(Modules.Plain(CudaKernel.PerExampleNorm, xs.DType), grid, block, block / 32 * 8,
            new KernelArgs().Ptr(xs.Pointer).Ptr(ys.Pointer).I32(rows).I32(n).Scalar(xs.DType, eps));
    }
}
