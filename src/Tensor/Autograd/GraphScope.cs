namespace GanAudio.Tensors.Autograd;

/// <summary>A scope for a forward computation whose intermediates only the autograd graph needs afterwards (a
/// discriminator's forward pass, say): while it is current, new tensors belong to it; when it ends, the results given
/// to <see cref="Keep"/> go to the enclosing <see cref="TensorScope"/>, each other tensor made here that a node recorded
/// here reads in its backward rule (<see cref="BackwardRules.Reads"/>) is kept for that node only (freed when the last
/// such node is released by a backward pass without retainGraph, or with the enclosing scope), and every other tensor
/// made here is freed at once. PyTorch frees such tensors by reference count; here the scope's end stands in for it.
/// Without grad (<see cref="GradMode.NoGrad"/>) nothing is recorded, so only the results survive.
/// <para>Tensors made here, other than the results, must not be used after the scope ends.</para></summary>
public sealed class GraphScope : IDisposable
{
    private readonly TensorScope scope;
    private readonly long firstNode;
    private readonly HashSet<Tensor> results = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    private GraphScope()
    {
        firstNode = Node.LastId;
        scope = TensorScope.Begin();
    }

    /// <summary>Starts a graph scope: <c>using (var g = GraphScope.Begin()) y = g.Keep(f(x));</c></summary>
    public static GraphScope Begin() => new();

    /// <summary>Runs <paramref name="forward"/> in a graph scope and keeps its result.</summary>
    public static Tensor Run(Func<Tensor> forward)
    {
        using var g = Begin();
        return g.Keep(forward());
    }

    /// <summary>Runs <paramref name="forward"/> in a graph scope and keeps its results.</summary>
    public static IReadOnlyList<Tensor> Run(Func<IReadOnlyList<Tensor>> forward)
    {
        using var g = Begin();
        var ys = forward();
        foreach (var y in ys) g.Keep(y);
        return ys;
    }

    /// <summary>Marks <paramref name="t"/> as a result (it outlives the scope, in the enclosing one) and returns it.</summary>
    public Tensor Keep(Tensor t)
    {
        results.Add(t);
        return t;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        var made = scope.OwnedNow();
        var ours = new HashSet<Tensor>(made.Where(t => !t.IsDisposed), ReferenceEqualityComparer.Instance);
        // every node recorded here holds the tensors made here that its rule reads (the results included: a node that
        // reads one must not lose it, but the graph never frees a result)
        foreach (var t in made)
        {
            if (t.GradFn is not { } m || m.Id <= firstNode || m.Holds is not null || m.Released) continue;
            var (ins, output) = BackwardRules.Reads(m.Kind);
            var held = new List<Tensor>();
            for (int k = 0; k < m.Inputs.Length; k++)
                if ((ins & (1 << k)) != 0 && ours.Contains(m.Inputs[k])) held.Add(m.Inputs[k]);
            if (output && m.Output is { } y && ours.Contains(y)) held.Add(y);
            foreach (var h in held) h.AddGraphSave();
            m.Holds = held;
        }
        foreach (var t in made)
        {
            if (t.IsDisposed) continue;
            if (!results.Contains(t))
            {
                if (t.GraphSaves == 0)
                {
                    t.Dispose();
                    continue;
                }
                t.GraphOwned = true;
            }
            scope.Release(t);
        }
        scope.Dispose();
    }
}
