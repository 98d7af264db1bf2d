namespace GanAudio.Kernels.Cuda;

public sealed partial class CudaBackend
{
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer? vMax, int count, in AdamArgs a)
    {
        var p = Cu(param);
        var t = p.DType;
        AdamCheck(param, t, count);
        AdamCheck(grad, t, count);
        AdamCheck(m, t, count);
        AdamCheck(v, t, count);
        if (vMax != null) AdamCheck(vMax, t, count);
        if (count == 0) return;
        var (g, bl) = Dev.Grid1D(count);
        Dev.Launch(Modules.Plain(CudaKernel.AdamStep, t), g, bl, 0,
            new KernelArgs().Ptr(p.Pointer).Ptr(Cu(grad).Pointer).Ptr(Cu(m).Pointer).Ptr(Cu(v).Pointer)
                .Ptr(vMax is null ? Cu(v).Pointer : Cu(vMax).Pointer).I32(vMax is null ? 0 : 1).I64(count)
                .Scalar(t, a.WeightDecay).Scalar(t, 1 - a.Beta1).Scalar(t, a.Beta2).Scalar(t, 1 - a.Beta2)
                .Scalar(t, a.StepSize).Scalar(t, a.Bc2Sqrt).Scalar(t, a.Eps));
    }

    private static void AdamCheck(DeviceBuffer b, DType t, int count)
    {
        if (b.DType != t) throw new ArgumentException($"adam_step: dtypes differ ({t}, {b.DType})");
        CheckRange(b, 0, count, "adam_step");
    }
}
