using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors.Tests;

/// <summary>Analytic gradients of every op kind against float64 central differences, first and second order.</summary>
public class GradCheckTests
{
    public static TheoryData<string> CaseNames => GradCases.Names();

    [Fact]
    public void EveryOpKindHasABackwardRuleAndAGradientCheck()
    {
        var noRule = Enum.GetValues<OpKind>().Where(k => !BackwardRules.Table.ContainsKey(k)).ToList();
        var noCase = Enum.GetValues<OpKind>().Where(k => !GradCases.All.Any(c => c.Kind == k)).ToList();
        Assert.True(noRule.Count == 0, "op kinds without a backward rule: " + string.Join(", ", noRule));
        Assert.True(noCase.Count == 0, "op kinds without a gradient-check case: " + string.Join(", ", noCase));
        Assert.Equal(GradCases.All.Count, GradCases.All.Select(c => c.Name).Distinct().Count());
    }

    public static TheoryData<string, string> DevicesAndCaseNames => DeviceRows.With(GradCases.All.Select(c => c.Name));

    /// <summary>Central differences of the forward on the device against the device's backward; on cuda the analytic
    /// gradients must also agree with the CPU's to float64 rounding (normwise 1e-12: only summation order differs).</summary>
    [Theory]
    [MemberData(nameof(DevicesAndCaseNames))]
    public void FirstOrder(string device, string name)
    {
        var dev = DeviceRows.Get(device);
        var c = GradCases.Get(name);
        GradCheck.Check(name, c.F, c.Inputs, c.Step, c.Tol, expectKind: c.Kind, device: dev);
        if (dev != Device.Cpu) AgreesWithCpu(name, c.F, c.Inputs, dev, c.DeviceTol);
    }

    /// <summary>The gradient computed with createGraph is itself gradient-checked: every backward rule is differentiable.</summary>
    [Theory]
    [MemberData(nameof(DevicesAndCaseNames))]
    public void SecondOrder(string device, string name)
    {
        var dev = DeviceRows.Get(device);
        var c = GradCases.Get(name);
        var g = GradCheck.GradientFunction(c.F, c.Inputs, device: dev);
        GradCheck.Check(name + " (gradient)", g, c.Inputs, c.Step, c.Tol, maxCoords: 48, device: dev);
        if (dev != Device.Cpu) AgreesWithCpu(name + " (gradient)", GradCheck.GradientFunction(c.F, c.Inputs, device: Device.Cpu), c.Inputs, dev, c.DeviceTol, g);
    }

    /// <summary>The analytic gradients of Σ w ⊙ f on <paramref name="dev"/> equal the CPU's, normwise to <paramref name="tol"/>
    /// (1e-12 unless the case passes through float32 transcendentals) per input.</summary>
    private static void AgreesWithCpu(string name, Func<Tensor[], Tensor> fCpu, GradInput[] inputs, Device dev, double tol, Func<Tensor[], Tensor>? fDev = null)
    {
        var rng = new Random(3);
        int n;
        using (TensorScope.Begin())
            n = fCpu(inputs.Select(i => Tensor.FromArray(i.Data, i.Shape)).ToArray()).Numel;
        var w = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var cpu = GradCheck.Analytic(fCpu, inputs, w);
        var onDev = GradCheck.Analytic(fDev ?? fCpu, inputs, w, device: dev);
        for (int i = 0; i < inputs.Length; i++)
        {
            double scale = 1e-3, diff = 0;
            for (int j = 0; j < cpu[i].Length; j++)
            {
                scale = Math.Max(scale, Math.Abs(cpu[i][j]));
                diff = Math.Max(diff, Math.Abs(cpu[i][j] - onDev[i][j]));
            }
            Assert.True(diff <= tol * scale, $"{name}: input {i}'s gradient on {dev} differs from the CPU's by {diff:g3} (scale {scale:g3})");
        }
    }
}
