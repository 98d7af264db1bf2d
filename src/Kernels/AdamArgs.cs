namespace GanAudio.Kernels;

/// <summary>One Adam update (torch.optim.Adam, single-tensor form) for step <c>t</c>:
/// g' = g + WeightDecay·p; m ← m + (1 − β1)(g' − m); v ← β2·v + (1 − β2)·g'²; v̂ = max(vmax, v) with AMSGrad (vmax updated)
/// else v; p ← p − StepSize · m / (√v̂ / Bc2Sqrt + Eps), where StepSize = lr / (1 − β1ᵗ) and Bc2Sqrt = √(1 − β2ᵗ).</summary>
public readonly record struct AdamArgs(double StepSize, double Beta1, double Beta2, double Eps, double WeightDecay, double Bc2Sqrt)
{
    public static AdamArgs For(double lr, double beta1, double beta2, double eps, double weightDecay, long step) =>
        new(lr / (1 - Math.Pow(beta1, step)), beta1, beta2, eps, weightDecay, Math.Sqrt(1 - Math.Pow(beta2, step)));
}
