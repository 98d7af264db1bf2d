namespace GanAudio.Kernels;

/// <summary>The narrow set of compute primitives every device implements. Buffers are contiguous; the caller
/// (the Tensor layer) turns views into contiguous buffers with <see cref="Copy"/> where a kernel needs it and checks
/// shapes and dtypes once. Kernels that "write" overwrite their output; none accumulate unless stated.</summary>
public interface IBackend
{
    Device Device { get; }

    /// <summary>Allocates an uninitialised buffer.</summary>
    DeviceBuffer Allocate(DType dtype, int length);

    void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset = 0);

    void Upload(ReadOnlySpan<double> src, DeviceBuffer dst, int dstOffset = 0);

    void Download(DeviceBuffer src, int srcOffset, Span<float> dst);

    void Download(DeviceBuffer src, int srcOffset, Span<double> dst);

    /// <summary>Starts copying <paramref name="src"/> into <paramref name="dst"/> (from element 0) so that it overlaps the
    /// work already queued (CUDA: on the device's copy stream, from pinned staging; the host data is copied before
    /// return, the host does not wait). <paramref name="dst"/> must not be used or disposed until the returned fence has
    /// been passed to <see cref="AwaitUpload"/>. The CPU copies at once. Like torch's <c>tensor.to(device, non_blocking=True)</c>
    /// from pinned memory on a side stream followed by <c>torch.cuda.current_stream().wait_stream(side)</c>.</summary>
    UploadFence UploadAhead(ReadOnlySpan<float> src, DeviceBuffer dst)
    {
        Upload(src, dst);
        return UploadFence.Completed;
    }

    /// <inheritdoc cref="UploadAhead(ReadOnlySpan{float}, DeviceBuffer)"/>
    UploadFence UploadAhead(ReadOnlySpan<double> src, DeviceBuffer dst)
    {
        Upload(src, dst);
        return UploadFence.Completed;
    }

    /// <summary>Makes work issued from now on wait for the upload (CUDA: the compute stream waits on its event; the host
    /// does not wait). Each fence once.</summary>
    void AwaitUpload(UploadFence fence)
    {
    }

    /// <summary>dst[offset + i] = value for i &lt; count.</summary>
    void Fill(DeviceBuffer dst, int offset, int count, double value);

    /// <summary>dst[i] = start + i·step.</summary>
    void Arange(DeviceBuffer dst, int count, double start, double step);

    /// <summary>Gathers a strided view of logical <paramref name="shape"/> into dst (contiguous, from dstOffset).
    /// Source and destination may differ in dtype (the copy converts, as <see cref="CopyStrided"/> does).</summary>
    void Copy(in StridedOperand src, int[] shape, DeviceBuffer dst, int dstOffset = 0);

    /// <summary>Scatters a strided view of logical <paramref name="shape"/> into a strided destination view; destination
    /// elements outside the view are untouched. Source and destination may differ in dtype (the copy converts, as
    /// torch's <c>Tensor.copy_</c> does); float64 → float32 rounds to nearest. A destination view must not address one
    /// element twice (the order of such writes is unspecified).</summary>
    void CopyStrided(in StridedOperand src, int[] shape, in StridedOperand dst);

    /// <summary>y[i] = op(x[i]) for i &lt; count (contiguous). Parameters as documented on <see cref="UnaryOp"/>.</summary>
    void Unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y, int count, double a = 0, double b = 0);

    /// <summary>y[idx] = op(a[idx], b[idx]) over the logical <paramref name="shape"/>; y contiguous.
    /// Parameters: LeakyReluBwd(α = p0), ClampBwd(min = p0, max = p1).</summary>
    void Binary(BinaryOp op, in StridedOperand a, in StridedOperand b, DeviceBuffer y, int[] shape, double p0 = 0, double p1 = 0);

    /// <summary>y[o, i] = reduce over j of x[o, j, i]; x is contiguous [outer, n, inner], y is [outer, inner].
    /// Max/Min of an empty axis give −inf/+inf; Sum of an empty axis gives 0; Mean gives NaN.</summary>
    void Reduce(ReduceOp op, DeviceBuffer x, DeviceBuffer y, int outer, int n, int inner);

    /// <summary>Batched row-major GEMM, see <see cref="GemmArgs"/>.</summary>
    void Gemm(in GemmArgs args, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c);

    /// <summary>y = conv1d(x, w) + bias (writes y).</summary>
    void Conv1dForward(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y);

    /// <summary>gx = ∂⟨gy, conv1d(x, w)⟩/∂x: the transposed convolution of gy with w (writes gx).</summary>
    void Conv1dBackwardData(in Conv1dGeometry g, DeviceBuffer gy, DeviceBuffer w, DeviceBuffer gx);

    /// <summary>gw = ∂⟨gy, conv1d(x, w)⟩/∂w (writes gw).</summary>
    void Conv1dBackwardWeight(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer gy, DeviceBuffer gw);

    /// <summary>Counter-based uniform numbers in [low, high): element i depends only on (seed, offset + i).</summary>
    void RandomUniform(DeviceBuffer dst, int count, ulong seed, ulong offset, double low, double high);

    /// <summary>Counter-based normal numbers: element i depends only on (seed, offset + i).</summary>
    void RandomNormal(DeviceBuffer dst, int count, ulong seed, ulong offset, double mean, double std);

    /// <summary>The fused Adam update over <paramref name="count"/> contiguous elements (see <see cref="AdamArgs"/>): updates
    /// param, m, v (and vMax when AMSGrad) in place, reading grad.</summary>
    void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer? vMax, int count, in AdamArgs a);

    /// <summary>Launches, host synchronisations, driver allocations and bytes copied since the device was opened
    /// (zeros on the CPU).</summary>
    DeviceCounters Counters => default;

    /// <summary>The device allocator's live, cached and reserved bytes and their peaks.</summary>
    MemoryStats Memory => default;

    /// <summary>Starts the allocator's peaks again from the current values.</summary>
    void ResetPeakMemory()
    {
    }

    /// <summary>Waits for queued work to finish.</summary>
    void Synchronize();

    /// <summary>WaveGAN's phase shuffle (=): y[b, c, t] = x[b, c, refl(t − s_b)] for x, y contiguous [batch, channels,
    /// length], with refl(j) = −j for j &lt; 0, 2(length − 1) − j for j ≥ length, else j (tf.pad mode 'reflect').
    /// <paramref name="shifts"/> holds one shift per example (host ints), each with |s_b| &lt; length.</summary>
    void PhaseShuffleForward(DeviceBuffer x, ReadOnlySpan<int> shifts, DeviceBuffer y, int batch, int channels, int length);

    /// <summary>The adjoint of <see cref="PhaseShuffleForward"/> (=): gx[b, c, i] = Σ over t with refl(t − s_b) = i of
    /// gy[b, c, t], as a gather over source indices (no atomics): gx[i] = (0 + gy[i + s]) + gy[s − i] (1 ≤ i ≤ s) or
    /// + gy[2(length − 1) − i + s] (length − 1 + s ≤ i ≤ length − 2), each term only where its index lies in [0, length).
    /// At most two terms meet in one element, added in that order from +0, so every backend gives the same bits.</summary>
    void PhaseShuffleBackward(DeviceBuffer gy, ReadOnlySpan<int> shifts, DeviceBuffer gx, int batch, int channels, int length);
    /// <summary>The fused Adam update of <see cref="AdamStep"/> over every group in one call (one launch on CUDA): the same
    /// arithmetic per element (on the CPU each group's result is bitwise what <see cref="AdamStep"/> gives it). All groups share one
    /// dtype and one AMSGrad setting (vMax on every group or none); see <see cref="AdamGroup"/>.</summary>
    void AdamStepMulti(IReadOnlyList<AdamGroup> groups, in AdamArgs a);

    /// <summary>y[o, c, i] = z if z &gt; 0 else α·z with z = x[o, c, i] + bias[c] (leaky ReLU of a per-channel bias add;
    /// writes y); x and y contiguous [outer, channels, inner], bias [channels]. y may alias x.</summary>
    void BiasLeakyRelu(DeviceBuffer x, DeviceBuffer bias, DeviceBuffer y, int outer, int channels, int inner, double alpha);

    /// <summary>y[r] = √(s + ε), s = Σⱼ x[r, j]² accumulated in double and rounded to the dtype (writes y): the per-example
    /// L2 norm of a contiguous [rows, n] buffer, the same value as Reduce(SumSquares) then AddScalar(ε) then Sqrt.</summary>
    void PerExampleNorm(DeviceBuffer x, DeviceBuffer y, int rows, int n, double eps);
}
