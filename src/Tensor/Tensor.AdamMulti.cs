using GanAudio.Kernels;

namespace GanAudio.Tensors;

/// <summary>One parameter of a multi-tensor Adam step: the parameter, its gradient and its moments (vMax with AMSGrad).</summary>
public readonly record struct AdamTensors(Tensor Param, Tensor Grad, Tensor M, Tensor V, Tensor? VMax);

public sealed partial class Tensor
{
    /// <summary>True when <see cref="AdamStepMultiInPlace"/> can take these groups: each passes <see cref="CanFuseAdam"/>, all
    /// share the first group's device and dtype, and AMSGrad (vMax) is on for all or none.</summary>
    public static bool CanFuseAdamMulti(IReadOnlyList<AdamTensors> groups)
    {
        if (groups.Count == 0) return true;
        var first = groups[0];
        foreach (var g in groups)
            if (!CanFuseAdam(g.Param, g.Grad, g.M, g.V, g.VMax) || g.Param.Device != first.Param.Device || g.Param.DType != first.Param.DType
                || (g.VMax is null) != (first.VMax is null))
                return false;
        return true;
    }

    /// <summary><see cref="AdamStepInPlace"/> on every group in one backend call (one kernel launch on CUDA, the
    /// torch.optim.Adam <c>foreach</c>/fused form): the same formula, and on the CPU bitwise the same results as one
    /// AdamStepInPlace per group. Not recorded by autograd. The groups must pass <see cref="CanFuseAdamMulti"/>.</summary>
    public static void AdamStepMultiInPlace(IReadOnlyList<AdamTensors> groups, double lr, double beta1, double beta2, double eps,
        double weightDecay, long step)
    {
        if (!CanFuseAdamMulti(groups))
            throw new TensorShapeException("AdamStepMultiInPlace: every parameter, gradient and moment must be dense and of its parameter's shape, " +
                                           "all on one device and dtype, with vMax for all (AMSGrad) or none");
        if (groups.Count == 0) return;
        var list = new AdamGroup[groups.Count];
        for (int k = 0; k < list.Length; k++)
        {
            var g = groups[k];
            list[k] = new AdamGroup(g.Param.Buffer, g.Grad.Buffer, g.M.Buffer, g.V.Buffer, g.VMax?.Buffer, g.Param.Numel);
        }
        groups[0].Param.Backend.AdamStepMulti(list, AdamArgs.For(lr, beta1, beta2, eps, weightDecay, step));
    }
}
