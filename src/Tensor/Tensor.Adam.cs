using GanAudio.Kernels;

namespace GanAudio.Tensors;

/// <summary>The fused Adam update: one pass over parameter, gradient and moments on the tensors' device.</summary>
public sealed partial class Tensor
{
    /// <summary>True when <see cref="AdamStepInPlace"/> can run on these tensors: all dense, of one dtype, device and shape.</summary>
    public static bool CanFuseAdam(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor? vMax)
    {
        foreach (var t in (Tensor?[])[grad, m, v, vMax])
            if (t is not null && (!t.IsDense || t.DType != param.DType || t.Device != param.Device || !ShapeUtil.SameShape(t.Shape, param.Shape)))
                return false;
        return param.IsDense;
    }

    /// <summary>One Adam update at step <paramref name="step"/> (1-based), in place, not recorded by autograd; the same
    /// formula as torch.optim.Adam's single-tensor form: g' = g + wd·p; m ← m + (1 − β1)(g' − m); v ← β2·v + (1 − β2)·g'²;
    /// v̂ = max(vMax, v) with AMSGrad (vMax updated) else v; p ← p − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + ε).
    /// Updates <paramref name="param"/>, <paramref name="m"/>, <paramref name="v"/> and <paramref name="vMax"/>; reads
    /// <paramref name="grad"/>. All must pass <see cref="CanFuseAdam"/>.</summary>
    public static void AdamStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor? vMax,
        double lr, double beta1, double beta2, double eps, double weightDecay, long step)
    {
        if (!CanFuseAdam(param, grad, m, v, vMax))
            throw TensorShapeException.For("AdamStepInPlace", "parameter, gradient and moments must be dense, of one dtype, device and shape", param.Shape, grad.Shape);
        if (param.Numel == 0) return;
        param.Backend.AdamStep(param.Buffer, grad.Buffer, m.Buffer, v.Buffer, vMax?.Buffer, param.Numel,
            AdamArgs.For(lr, beta1, beta2, eps, weightDecay, step));
    }
}
