namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>Multi-tensor Adam: every group is cut at the same chunk boundaries <see cref="AdamStep"/> uses
    /// (multiples of <see cref="ElementChunk"/> from the group's start), and the concatenated chunk list runs in parallel;
    /// each chunk runs the same <c>AdamRun</c>, so each group's result is bitwise that of its own AdamStep, for any thread count.</summary>
    public void AdamStepMulti(IReadOnlyList<AdamGroup> groups, in AdamArgs a)
    {
        var (t, _) = AdamGroup.Validate(groups, "adam_step_multi");
        var chunks = new List<(int Group, int Start, int End)>();
        long total = 0;
        for (int k = 0; k < groups.Count; k++)
        {
            int n = groups[k].Count;
            total += n;
            for (int s = 0; s < n; s += ElementChunk) chunks.Add((k, s, Math.Min(n, s + ElementChunk)));
        }
        if (chunks.Count == 0) return;
        var args = a;
        double perChunk = (double)total / chunks.Count;
        if (t == DType.Float32)
        {
            var bufs = groups.Select(g => (P: Cpu(g.Param).F32, G: Cpu(g.Grad).F32, M: Cpu(g.M).F32, V: Cpu(g.V).F32,
                X: g.VMax is null ? null : Cpu(g.VMax).F32)).ToArray();
            CpuParallel.For(chunks.Count, perChunk, c =>
            {
                var (k, s, e) = chunks[c];
                var b = bufs[k];
                AdamRun(b.P, b.G, b.M, b.V, b.X, s, e, args);
            });
        }
        else
        {
            var bufs = groups.Select(g => (P: Cpu(g.Param).F64, G: Cpu(g.Grad).F64, M: Cpu(g.M).F64, V: Cpu(g.V).F64,
                X: g.VMax is null ? null : Cpu(g.VMax).F64)).ToArray();
            CpuParallel.For(chunks.Count, perChunk, c =>
            {
                var (k, s, e) = chunks[c];
                var b = bufs[k];
                AdamRun(b.P, b.G, b.M, b.V, b.X, s, e, args);
            });
        }
    }
}
