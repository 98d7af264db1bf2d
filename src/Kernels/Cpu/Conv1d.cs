using System.Numerics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Conv1dForward(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y)
    {
        g.Validate();
        if (Cpu(y).DType == DType.Float32) ConvFwd(g, Cpu(x).F32, Cpu(w).F32, bias is null ? null : Cpu(bias).F32, Cpu(y).F32);
        else ConvFwd(g, Cpu(x).F64, Cpu(w).F64, bias is null ? null : Cpu(bias).F64, Cpu(y).F64);
    }

    public void Conv1dBackwardData(in Conv1dGeometry g, DeviceBuffer gy, DeviceBuffer w, DeviceBuffer gx)
    {
        g.Validate();
        if (Cpu(gx).DType == DType.Float32) ConvBwdData(g, Cpu(gy).F32, Cpu(w).F32, Cpu(gx).F32);
        else ConvBwdData(g, Cpu(gy).F64, Cpu(w).F64, Cpu(gx).F64);
    }

    public void Conv1dBackwardWeight(in Conv1dGeometry g, DeviceBuffer x, DeviceBuffer gy, DeviceBuffer gw)
    {
        g.Validate();
        if (Cpu(gw).DType == DType.Float32) ConvBwdWeight(g, Cpu(x).F32, Cpu(gy).F32, Cpu(gw).F32);
        else ConvBwdWeight(g, Cpu(x).F64, Cpu(gy).F64, Cpu(gw).F64);
    }

    /// <summary>col[(c·K + k)·LOut + t] = x[b, c, t·S + k − P] (0 outside).</summary>
    private static void Im2Col<T>(in Conv1dGeometry g, T[] x, int b, T[] col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = 0; c < g.CIn; c++)
        for (int k = 0; k < g.Kernel; k++)
        {
            long xo = ((long)b * g.CIn + c) * g.LIn;
            long co = ((long)c * g.Kernel + k) * g.LOut;
            for (int t = 0; t < g.LOut; t++)
            {
                int s = t * g.Stride + k - g.Padding;
                col[co + t] = s >= 0 && s < g.LIn ? x[xo + s] : T.Zero;
            }
        }
    }

    private static void ConvFwd<T>(Conv1dGeometry g, T[] x, T[] w, T[]? bias, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ck = g.CIn * g.Kernel;
        var col = new T[(long)ck * g.LOut];
        for (int b = 0; b < g.Batch; b++)
        {
            Im2Col(g, x, b, col);
            long yo = (long)b * g.COut * g.LOut;
            GemmTyped(new GemmArgs(false, false, g.COut, g.LOut, ck, OffsetC: yo), w, col, y);
            if (bias is not null)
                for (int o = 0; o < g.COut; o++)
                for (int t = 0; t < g.LOut; t++) y[yo + (long)o * g.LOut + t] += bias[o];
        }
    }

    private static void ConvBwdData<T>(Conv1dGeometry g, T[] gy, T[] w, T[] gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ck = g.CIn * g.Kernel;
        var col = new T[(long)ck * g.LOut];
        for (int b = 0; b < g.Batch; b++)
        {
            GemmTyped(new GemmArgs(true, false, ck, g.LOut, g.COut, OffsetB: (long)b * g.COut * g.LOut), w, gy, col);
            long xo0 = (long)b * g.CIn * g.LIn;
            Array.Clear(gx, (int)xo0, g.CIn * g.LIn);
            for (int c = 0; c < g.CIn; c++)
            for (int k = 0; k < g.Kernel; k++)
            {
                long co = ((long)c * g.Kernel + k) * g.LOut;
                long xo = xo0 + (long)c * g.LIn;
                for (int t = 0; t < g.LOut; t++)
                {
                    int s = t * g.Stride + k - g.Padding;
                    if (s >= 0 && s < g.LIn) gx[xo + s] += col[co + t];
                }
            }
        }
    }

    private static void ConvBwdWeight<T>(Conv1dGeometry g, T[] x, T[] gy, T[] gw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ck = g.CIn * g.Kernel;
        var col = new T[(long)ck * g.LOut];
        for (int b = 0; b < g.Batch; b++)
        {
            Im2Col(g, x, b, col);
            GemmTyped(new GemmArgs(false, true, g.COut, ck, g.LOut, Beta: b == 0 ? 0 : 1, OffsetA: (long)b * g.COut * g.LOut), gy, col, gw);
        }
        if (g.Batch == 0) Array.Clear(gw, 0, g.COut * ck);
    }
}
