using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Optim;

/// <summary>Adam (torch.optim.Adam, Kingma &amp; Ba): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε); L2 weight decay adds wd·p to g; AMSGrad uses max(v) so far.</summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] m, v;
    private readonly Tensor?[] vMax;

    public Adam(IEnumerable<(string Name, Tensor Value)> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false) : base(parameters, lr)
    {
        (Beta1, Beta2, Eps, WeightDecay, AmsGrad) = (beta1, beta2, eps, weightDecay, amsgrad);
        m = Params.Select(p => NewState(p.Name, "exp_avg", p.Value)).ToArray();
        v = Params.Select(p => NewState(p.Name, "exp_avg_sq", p.Value)).ToArray();
        vMax = Params.Select(p => amsgrad ? NewState(p.Name, "max_exp_avg_sq", p.Value) : null).ToArray();
    }

    public override string Kind => "adam";

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public double WeightDecay { get; }

    public bool AmsGrad { get; }

    /// <summary>Use the fused Adam op when every tensor is dense: all such parameters of one device and dtype in one
    /// multi-tensor call (<see cref="Tensor.AdamStepMultiInPlace"/>, one kernel launch on CUDA per step); false forces the
    /// composed tensor-op path (same formula, for tests).</summary>
    public bool Fused { get; set; } = true;

    /// <summary>Fusable parameters (grouped by device and dtype) go through one <see cref="Tensor.AdamStepMultiInPlace"/>
    /// call per group; the others through <see cref="Update"/>. On the CPU the results equal one fused step per parameter bitwise.</summary>
    protected override void UpdateAll(IReadOnlyList<int> indices)
    {
        if (!Fused)
        {
            base.UpdateAll(indices);
            return;
        }
        var sets = new Dictionary<(Device, DType), List<AdamTensors>>();
        foreach (int i in indices)
        {
            var p = Params[i].Value;
            var g = p.Grad!;
            if (!Tensor.CanFuseAdam(p, g, m[i], v[i], vMax[i]))
            {
                Update(i, p, g);
                continue;
            }
            if (!sets.TryGetValue((p.Device, p.DType), out var list)) sets[(p.Device, p.DType)] = list = new List<AdamTensors>();
            list.Add(new AdamTensors(p, g, m[i], v[i], vMax[i]));
        }
        foreach (var list in sets.Values)
            Tensor.AdamStepMultiInPlace(list, LearningRate, Beta1, Beta2, Eps, WeightDecay, StepCount);
    }

    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (Fused && Tensor.CanFuseAdam(p, g, m[i], v[i], vMax[i]))
        {
            Tensor.AdamStepInPlace(p, g, m[i], v[i], vMax[i], LearningRate, Beta1, Beta2, Eps, WeightDecay, StepCount);
            return;
        }
        if (WeightDecay != 0) g = g + p * WeightDecay;
        double bc1 = 1 - Math.Pow(Beta1, StepCount), bc2 = 1 - Math.Pow(Beta2, StepCount);
        m[i].AddInPlace(g - m[i], 1 - Beta1); // torch: exp_avg.lerp_(grad, 1 − β1)
        v[i].MulInPlace(Beta2).AddInPlace(g * g, 1 - Beta2);
        var second = v[i];
        if (vMax[i] is { } vm)
        {
            vm.CopyFrom(vm.Maximum(v[i]));
            second = vm;
        }
        var denom = second.Sqrt() * (1 / Math.Sqrt(bc2)) + Eps;
        p.AddInPlace(m[i] / denom, -LearningRate / bc1);
    }
}
