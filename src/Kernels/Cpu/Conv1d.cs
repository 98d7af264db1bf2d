using System.Numerics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>y = conv1d(x, w) + bias (writes y). Implicit GEMM over a polyphase copy of x, see <see cref="ConvCpu"/>.</summary>
    public void Conv1dForward(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y)
    {
        g.Validate();
        CheckConv(g, x, w, y, bias);
        if (Cpu(y).DType == DType.Float32) ConvCpu.Forward(g, Cpu(x).F32, Cpu(w).F32, bias is null ? null : Cpu(bias).F32, Cpu(y).F32);
        else if (Cpu(y).DType == DType.Float64) ConvCpu.Forward(g, Cpu(x).F64, Cpu(w).F64, bias is null ? null : Cpu(bias).F64, Cpu(y).F64);
        else throw DTypeExtensions.Unsupported(y.DType, "conv1d forward");
    }

    /// <summary>gx = conv_transpose1d(gy, w) (writes gx): one implicit GEMM per output phase.</summary>
    public void Conv1dBackwardData(in Conv1dGeometry g, DeviceBuffer gy, DeviceBuffer w, DeviceBuffer gx)
    {
        g.Validate();
        CheckConv(g, gx, w, gy, null);
        if (Cpu(gx).DType == DType.Float32) ConvCpu.BackwardData(g, Cpu(gy).F32, Cpu(w).F32, Cpu(gx).F32);
        else if (Cpu(gx).DType == DType.Float64) ConvCpu.BackwardData(g, Cpu(gy).F64, Cpu(w).F64, Cpu(gx).F64);
        else throw DTypeExtensions.Unsupported(gx.DType, "conv1d backward-data");
    }

    /// <summary>gw = Σ_b Σ_t gy[b,o,t]·x[b,c,t·S+k−P] (writes gw): GEMM of gy against a channels-last copy of x.</summary>
    public void Conv1dBackwardWeight(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer gy, DeviceBuffer gw)
    {
        g.Validate();
        CheckConv(g, x, gw, gy, null);
        if (Cpu(gw).DType == DType.Float32) ConvCpu.BackwardWeight(g, Cpu(x).F32, Cpu(gy).F32, Cpu(gw).F32);
        else if (Cpu(gw).DType == DType.Float64) ConvCpu.BackwardWeight(g, Cpu(x).F64, Cpu(gy).F64, Cpu(gw).F64);
        else throw DTypeExtensions.Unsupported(gw.DType, "conv1d backward-weight");
    }

    private static void CheckConv(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y, DeviceBuffer? bias)
    {
        var dt = x.DType;
        if (w.DType != dt || y.DType != dt || (bias is not null && bias.DType != dt))
            throw new ArgumentException($"conv1d {g}: dtypes differ");
        if (x.Length < (long)g.Batch * g.CIn * g.LIn || w.Length < (long)g.COut * g.CIn * g.Kernel ||
            y.Length < (long)g.Batch * g.COut * g.LOut || (bias is not null && bias.Length < g.COut))
            throw new ArgumentException($"conv1d {g}: a buffer is shorter than the geometry needs " +
                $"(x {x.Length}, w {w.Length}, y {y.Length}{(bias is null ? "" : $", bias {bias.Length}")})");
    }
}
