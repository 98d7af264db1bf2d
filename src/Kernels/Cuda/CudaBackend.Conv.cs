namespace GanAudio.Kernels.Cuda;

/// <summary>Conv1d as im2col + GEMM with the kernels of <c>kernels-cu/conv.cu</c> and cuBLAS. The batch is processed in
/// chunks whose column buffer (from the caching allocator) stays at most <see cref="ColumnBytes"/> (one sample may exceed it).
/// cuDNN, when installed, runs behind these same entry points (CudaBackend.Cudnn.cs); without it this path is the implementation.</summary>
public sealed partial class CudaBackend
{
    /// <summary>Upper bound of a column buffer [nb, CIn·K, LOut] in bytes (unless one sample alone is larger): 64 MiB.
    /// Tests lower it to exercise chunking; the results do not depend on it.</summary>
    internal long ColumnBytes { get; set; } = 64L << 20;

    /// <summary>y = conv1d(x, w) + bias (=): per chunk col = im2col(x), then y_b = w[COut, CIn·K] · col_b in one strided-batched
    /// GEMM (w shared: batch stride 0), then the bias kernel.</summary>
    public void Conv1dForward(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y)
    {
        var t = ConvCheck(g, "conv1d forward", (x, g.Batch * (long)g.CIn * g.LIn), (w, (long)g.COut * g.CIn * g.Kernel),
            (y, g.Batch * (long)g.COut * g.LOut), (bias ?? w, bias == null ? 0 : g.COut));
        if (g.Batch == 0 || g.LOut == 0) return;
        if (CudnnForward(g, t, x, w, bias, y)) return;
        int rows = g.CIn * g.Kernel;
        int nb = ChunkSamples(g, t);
        using var col = Allocate(t, nb * rows * g.LOut);
        for (int b0 = 0; b0 < g.Batch; b0 += nb)
        {
            int n = Math.Min(nb, g.Batch - b0);
            Im2col(g, x, (long)b0 * g.CIn * g.LIn, col, n, samplesInner: false);
            Gemm(new GemmArgs(false, false, g.COut, g.LOut, rows, Batch: n, StrideA: 0, StrideB: (long)rows * g.LOut,
                StrideC: (long)g.COut * g.LOut, OffsetC: (long)b0 * g.COut * g.LOut), w, col, y);
        }
        if (bias != null)
        {
            long total = (long)g.Batch * g.COut * g.LOut;
            ConvLaunch(CudaKernel.Conv1dBias, t, total,
                new KernelArgs().Ptr(Cu(y).Pointer).Ptr(Cu(bias).Pointer).I32((int)total).I32(g.COut).I32(g.LOut));
        }
    }

    /// <summary>gx = conv_transpose(gy, w) (=): per chunk gcol_b = wᵀ · gy_b (strided-batched GEMM), then gx = col2im(gcol),
    /// a gather per input element (no atomics). Inputs no output reads get 0.</summary>
    public void Conv1dBackwardData(in Conv1dGeometry g, DeviceBuffer gy, DeviceBuffer w, DeviceBuffer gx)
    {
        var t = ConvCheck(g, "conv1d backward-data", (gy, g.Batch * (long)g.COut * g.LOut), (w, (long)g.COut * g.CIn * g.Kernel),
            (gx, g.Batch * (long)g.CIn * g.LIn));
        if (g.Batch == 0 || g.LIn == 0) return;
        if (g.LOut == 0)
        {
            Fill(gx, 0, g.Batch * g.CIn * g.LIn, 0);
            return;
        }
        if (CudnnBackwardData(g, t, gy, w, gx)) return;
        int rows = g.CIn * g.Kernel;
        int nb = ChunkSamples(g, t);
        using var col = Allocate(t, nb * rows * g.LOut);
        var gxc = Cu(gx);
        for (int b0 = 0; b0 < g.Batch; b0 += nb)
        {
            int n = Math.Min(nb, g.Batch - b0);
            Gemm(new GemmArgs(true, false, rows, g.LOut, g.COut, Batch: n, StrideA: 0, StrideB: (long)g.COut * g.LOut,
                StrideC: (long)rows * g.LOut, OffsetB: (long)b0 * g.COut * g.LOut), w, gy, col);
            int count = n * g.CIn * g.LIn;
            ConvLaunch(CudaKernel.Conv1dCol2im, t, count,
                new KernelArgs().Ptr(Cu(col).Pointer).Ptr(gxc.At((long)b0 * g.CIn * g.LIn)).I32(count).I32(g.LIn).I32(g.LOut)
                    .I32(g.Kernel).I32(g.Stride).I32(g.Padding));
        }
    }

    /// <summary>gw = Σ_b gy_b · im2col(x_b)ᵀ (=): per chunk of n samples col = im2col(x) as [CIn·K, n·LOut] and gy's chunk
    /// permuted to [COut, n·LOut] (no copy when n = 1), then one GEMM whose reduction runs over samples and positions,
    /// β = 0 for the first chunk and 1 after, so the batch sum accumulates in gw. An empty batch or output writes zeros.</summary>
    public void Conv1dBackwardWeight(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer gy, DeviceBuffer gw)
    {
        var t = ConvCheck(g, "conv1d backward-weight", (x, g.Batch * (long)g.CIn * g.LIn), (gy, g.Batch * (long)g.COut * g.LOut),
            (gw, (long)g.COut * g.CIn * g.Kernel));
        int rows = g.CIn * g.Kernel;
        if (g.Batch == 0 || g.LOut == 0)
        {
            Fill(gw, 0, g.COut * rows, 0);
            return;
        }
        if (CudnnBackwardWeight(g, t, x, gy, gw)) return;
        int nb = ChunkSamples(g, t);
        using var col = Allocate(t, nb * rows * g.LOut);
        using var gyT = Allocate(t, nb > 1 ? nb * g.COut * g.LOut : 0);
        for (int b0 = 0; b0 < g.Batch; b0 += nb)
        {
            int n = Math.Min(nb, g.Batch - b0);
            Im2col(g, x, (long)b0 * g.CIn * g.LIn, col, n, samplesInner: true);
            long gyOffset = (long)b0 * g.COut * g.LOut;
            var a = gy;
            if (n > 1)
            {
                Copy(new StridedOperand(gy, (int)gyOffset, [g.LOut, g.COut * g.LOut, 1]), [g.COut, n, g.LOut], gyT);
                (a, gyOffset) = (gyT, 0);
            }
            Gemm(new GemmArgs(false, true, g.COut, rows, n * g.LOut, Beta: b0 == 0 ? 0 : 1, OffsetA: gyOffset), a, col, gw);
        }
    }

    private void Im2col(in Conv1dGeometry g, DeviceBuffer x, long xOffset, DeviceBuffer col, int n, bool samplesInner)
    {
        int count = n * g.CIn * g.Kernel * g.LOut;
        ConvLaunch(CudaKernel.Conv1dIm2col, col.DType, count,
            new KernelArgs().Ptr(Cu(x).At(xOffset)).Ptr(Cu(col).Pointer).I32(count).I32(n).I32(g.CIn).I32(g.LIn).I32(g.LOut)
                .I32(g.Kernel).I32(g.Stride).I32(g.Padding).I32(samplesInner ? 1 : 0));
    }

    private void ConvLaunch(CudaKernel kernel, DType t, long count, in KernelArgs args)
    {
        var (grid, block) = Dev.Grid1D(count);
        Dev.Launch(Modules.Plain(kernel, t), grid, block, 0, args);
    }

    /// <summary>Samples per chunk: as many as fit in <see cref="ColumnBytes"/> (column buffer or permuted gy), at least one,
    /// and few enough that every 32-bit kernel index (plus one grid of threads) stays below 2^31.</summary>
    private int ChunkSamples(in Conv1dGeometry g, DType t)
    {
        long perSample = (long)Math.Max(g.CIn * g.Kernel, g.COut) * Math.Max(1, g.LOut);  // col, or gy's permuted chunk
        const long indexLimit = int.MaxValue / 2;
        if (perSample > indexLimit)
            throw new NotSupportedException($"conv1d {g}: one sample's column buffer ({perSample} elements) exceeds the CUDA kernels' 32-bit indexing");
        long byBytes = ColumnBytes / (perSample * t.Size());
        long byIndex = indexLimit / Math.Max(perSample, (long)g.CIn * Math.Max(1, g.LIn));
        return (int)Math.Clamp(Math.Min(byBytes, byIndex), 1, Math.Max(1, g.Batch));
    }

    private static DType ConvCheck(in Conv1dGeometry g, string op, params (DeviceBuffer Buffer, long Length)[] operands)
    {
        g.Validate();
        var t = Cu(operands[0].Buffer).DType;
        foreach (var (b, len) in operands)
        {
            if (Cu(b).DType != t) throw new ArgumentException($"{op} {g}: dtypes differ ({t}, {b.DType})");
            if (b.Length < len) throw new ArgumentException($"{op} {g}: a buffer of {b.Length} elements, {len} needed");
        }
        return t;
    }
}
