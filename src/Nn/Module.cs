using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn;

/// <summary>A network component with explicitly registered parameters, buffers and children (PyTorch's nn.Module).
/// State-dict names join registration names with dots (<c>generator.deconv1.weight</c>). Parameters and buffers belong
/// to no <see cref="TensorScope"/>; the module disposes them.</summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Value)> parameters = new();
    private readonly List<(string Name, Tensor Value)> buffers = new();
    private readonly List<(string Name, Module Value)> children = new();

    /// <summary>Training mode (true) or evaluation mode (false): batch norm and dropout behave differently.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The forward pass.</summary>
    public abstract Tensor Forward(Tensor x);

    public Tensor Call(Tensor x) => Forward(x);

    protected Tensor RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        TensorScope.Escape(value);
        value.RequiresGrad = true;
        parameters.Add((name, value));
        return value;
    }

    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        TensorScope.Escape(value);
        buffers.Add((name, value));
        return value;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.')) throw new ArgumentException($"invalid member name '{name}'");
        if (parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name) || children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is already registered on {GetType().Name}");
    }

    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    public IEnumerable<(string Name, Tensor Value)> NamedParameters(string prefix = "")
    {
        foreach (var (n, p) in parameters) yield return (prefix + n, p);
        foreach (var (n, c) in children)
            foreach (var x in c.NamedParameters(prefix + n + ".")) yield return x;
    }

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    public IEnumerable<(string Name, Tensor Value)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, b) in buffers) yield return (prefix + n, b);
        foreach (var (n, c) in children)
            foreach (var x in c.NamedBuffers(prefix + n + ".")) yield return x;
    }

    /// <summary>Parameters and buffers by name, in registration order (the tensors themselves, not copies).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> StateDict(string prefix = "") =>
        NamedParameters(prefix).Concat(NamedBuffers(prefix)).ToList();

    /// <summary>Copies values into this module's parameters and buffers. Strict: every key must match in name and shape;
    /// a mismatch names the missing, unexpected and mis-shaped keys.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true, string prefix = "")
    {
        var mine = StateDict(prefix);
        var missing = mine.Where(m => !state.ContainsKey(m.Name)).Select(m => m.Name).ToList();
        var names = mine.Select(m => m.Name).ToHashSet();
        var unexpected = strict ? state.Keys.Where(k => !names.Contains(k) && (prefix == "" || k.StartsWith(prefix, StringComparison.Ordinal))).ToList() : [];
        var misshaped = mine.Where(m => state.TryGetValue(m.Name, out var t) && !ShapeUtil.SameShape(t.Shape, m.Value.Shape))
            .Select(m => $"{m.Name} (expected {ShapeUtil.Format(m.Value.Shape)}, got {ShapeUtil.Format(state[m.Name].Shape)})").ToList();
        if (misshaped.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) parts.Add("unexpected keys: " + string.Join(", ", unexpected));
            if (misshaped.Count > 0) parts.Add("shape mismatch: " + string.Join(", ", misshaped));
            throw new InvalidDataException($"state dict does not match {GetType().Name}: " + string.Join("; ", parts));
        }
        foreach (var (name, value) in mine)
            if (state.TryGetValue(name, out var src))
            {
                using var conv = src.Device == value.Device ? null : src.To(value.Device);
                value.CopyFrom(conv ?? src);
            }
    }

    /// <summary>Sets training mode on this module and every child.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var (_, c) in children) c.Train(on);
        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient (disposes it, like PyTorch's set_to_none).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    public long ParameterCount() => Parameters().Sum(p => (long)p.Numel);

    public virtual void Dispose()
    {
        foreach (var (_, p) in parameters)
        {
            p.Grad?.Dispose();
            p.Dispose();
        }
        foreach (var (_, b) in buffers) b.Dispose();
        foreach (var (_, c) in children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}
