using GanAudio.Tensors;

namespace GanAudio.Nn.Layers;

/// <summary>torch.nn.ReLU.</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor x) => x.Relu();
}

/// <summary>torch.nn.LeakyReLU(negative_slope).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    public double NegativeSlope { get; } = negativeSlope;

    public override Tensor Forward(Tensor x) => x.LeakyRelu(NegativeSlope);
}

/// <summary>torch.nn.Tanh.</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor x) => x.Tanh();
}

/// <summary>torch.nn.Sigmoid.</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor x) => x.Sigmoid();
}

/// <summary>Flattens all dimensions after the first (torch.nn.Flatten).</summary>
public sealed class Flatten : Module
{
    public override Tensor Forward(Tensor x) => x.Flatten(1);
}

/// <summary>Reshapes to [batch, …shape] (a view when possible).</summary>
public sealed class Reshape(params int[] shape) : Module
{
    public int[] TargetShape { get; } = shape;

    public override Tensor Forward(Tensor x) => x.Reshape([x.Shape[0], .. TargetShape]);
}

/// <summary>Runs children in order (torch.nn.Sequential); children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> layers = new();

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    public Sequential Add(Module m)
    {
        layers.Add(RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m));
        return this;
    }

    public IReadOnlyList<Module> Layers => layers;

    public override Tensor Forward(Tensor x)
    {
        foreach (var m in layers) x = m.Forward(x);
        return x;
    }
}
