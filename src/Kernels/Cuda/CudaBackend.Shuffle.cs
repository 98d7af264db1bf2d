using System.Runtime.CompilerServices;

namespace GanAudio.Kernels.Cuda;

/// <summary>Phase shuffle with the kernels of <c>kernels-cu/phase_shuffle.cu</c>. The shifts travel by value in the
/// launch arguments (<see cref="PhaseShifts"/>, up to <see cref="PhaseShifts.Chunk"/> examples per launch), so a
/// shuffle needs no upload and no host synchronisation.</summary>
public sealed partial class CudaBackend
{
    /// <summary>y[b, c, t] = x[b, c, refl(t − s_b)] (=).</summary>
    public void PhaseShuffleForward(DeviceBuffer x, ReadOnlySpan<int> shifts, DeviceBuffer y, int batch, int channels, int length) =>
        PhaseShuffleLaunch(false, x, shifts, y, batch, channels, length);

    /// <summary>gx[b, c, i] = Σ over t with refl(t − s_b) = i of gy[b, c, t] (=), a gather per source index.</summary>
    public void PhaseShuffleBackward(DeviceBuffer gy, ReadOnlySpan<int> shifts, DeviceBuffer gx, int batch, int channels, int length) =>
        PhaseShuffleLaunch(true, gy, shifts, gx, batch, channels, length);

    private void PhaseShuffleLaunch(bool backward, DeviceBuffer src, ReadOnlySpan<int> shifts, DeviceBuffer dst, int batch, int channels, int length)
    {
        PhaseShuffleIndex.Check(backward ? "phase_shuffle_bwd" : "phase_shuffle_fwd", src, dst, shifts, batch, channels, length);
        if ((long)batch * channels * length == 0) return;
        var s = Cu(src);
        var d = Cu(dst);
        var f = Modules.Plain(backward ? CudaKernel.PhaseShuffleBwd : CudaKernel.PhaseShuffleFwd, src.DType);
        long rowElems = (long)channels * length;
        for (int b0 = 0; b0 < batch; b0 += PhaseShifts.Chunk)
        {
            int nb = Math.Min(PhaseShifts.Chunk, batch - b0);
            var sh = new PhaseShifts();
            for (int i = 0; i < nb; i++) sh[i] = shifts[b0 + i];
            int n = (int)(nb * rowElems);
            var (g, bl) = Dev.Grid1D(n);
            Dev.Launch(f, g, bl, 0, new KernelArgs().Ptr(s.At(b0 * rowElems)).Ptr(d.At(b0 * rowElems)).I32(n).I32(channels).I32(length).Struct(sh));
        }
    }
}

/// <summary>The kernels' <c>PhaseShifts</c> (kernels-cu/phase_shuffle.cu): the shifts of up to <see cref="Chunk"/> examples.</summary>
[InlineArray(Chunk)]
internal struct PhaseShifts
{
    /// <summary>Examples per launch; must equal GA_PS_CHUNK in phase_shuffle.cu (the argument buffer holds 256 bytes).</summary>
    public const int Chunk = 48;

    private int element;
}
