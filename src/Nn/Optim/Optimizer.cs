using GanAudio.Tensors;

namespace GanAudio.Nn.Optim;

/// <summary>Base of the optimizers: named parameters, a learning rate, a step counter and named state tensors that go
/// into checkpoints (<c>{param}.{slot}</c>). State is created up front (zeros), which is what PyTorch's lazily created
/// state holds at its first step.</summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<(string Name, Tensor Value)> state = new();

    protected Optimizer(IEnumerable<(string Name, Tensor Value)> parameters, double lr)
    {
        Params = parameters.ToList();
        if (Params.Count == 0) throw new ArgumentException("optimizer got no parameters");
        LearningRate = lr;
    }

    public IReadOnlyList<(string Name, Tensor Value)> Params { get; }

    public double LearningRate { get; set; }

    /// <summary>Number of completed steps.</summary>
    public long StepCount { get; set; }

    /// <summary>A short name used in checkpoint metadata (adam, rmsprop, sgd).</summary>
    public abstract string Kind { get; }

    /// <summary>Zero-initialised state tensor for a parameter slot.</summary>
    protected Tensor NewState(string param, string slot, Tensor like)
    {
        Tensor t;
        using (TensorScope.Suspend()) t = like.ZerosLike();
        state.Add(($"{param}.{slot}", t));
        return t;
    }

    public IReadOnlyList<(string Name, Tensor Value)> State => state;

    /// <summary>Applies one update from the parameters' gradients (parameters without a gradient are skipped).</summary>
    public void Step()
    {
        StepCount++;
        using var scope = TensorScope.Begin();
        using var _ = Tensors.Autograd.GradMode.NoGrad();
        var live = new List<int>(Params.Count);
        for (int i = 0; i < Params.Count; i++)
            if (Params[i].Value.Grad is not null) live.Add(i);
        UpdateAll(live);
    }

    protected abstract void Update(int index, Tensor param, Tensor grad);

    /// <summary>Updates the parameters at <paramref name="indices"/> (those with a gradient) from their gradients: one
    /// <see cref="Update"/> each, unless an optimizer updates them together (Adam's multi-tensor step).</summary>
    protected virtual void UpdateAll(IReadOnlyList<int> indices)
    {
        foreach (int i in indices) Update(i, Params[i].Value, Params[i].Value.Grad!);
    }

    public void ZeroGrad()
    {
        foreach (var (_, p) in Params)
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    /// <summary>Restores state tensors (by name) and the step counter from a checkpoint. Every state tensor must be there
    /// with exactly its shape (nothing is broadcast); otherwise nothing is changed and the names are reported.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long stepCount, string prefix = "")
    {
        var missing = state.Where(s => !tensors.ContainsKey(prefix + s.Name)).Select(s => prefix + s.Name).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{Kind} optimizer state is missing: {string.Join(", ", missing.Take(5))}");
        var misshaped = state.Where(s => !tensors[prefix + s.Name].Shape.SequenceEqual(s.Value.Shape))
            .Select(s => $"{prefix + s.Name} is [{string.Join(", ", tensors[prefix + s.Name].Shape)}], expected [{string.Join(", ", s.Value.Shape)}]").ToList();
        if (misshaped.Count > 0) throw new InvalidDataException($"{Kind} optimizer state has the wrong shape: {string.Join("; ", misshaped.Take(5))}");
        foreach (var (name, t) in state) t.CopyFrom(tensors[prefix + name]);
        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var (_, t) in state) t.Dispose();
        GC.SuppressFinalize(this);
    }
}
