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

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FirstOrder(string name)
    {
        var c = GradCases.Get(name);
        GradCheck.Check(name, c.F, c.Inputs, c.Step, c.Tol, expectKind: c.Kind);
    }

    /// <summary>The gradient computed with createGraph is itself gradient-checked: every backward rule is differentiable.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void SecondOrder(string name)
    {
        var c = GradCases.Get(name);
        var g = GradCheck.GradientFunction(c.F, c.Inputs);
        GradCheck.Check(name + " (gradient)", g, c.Inputs, c.Step, c.Tol, maxCoords: 48);
    }
}
