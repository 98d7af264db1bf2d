namespace GanAudio.Tensors.Autograd;

/// <summary>The gradients of one backward pass, one per tensor of the graph, summed as contributions arrive.
/// <para>When the pass does not build a graph (<paramref name="reuse"/>) the table saves
/// memory the way PyTorch's engine does: a gradient is freed as soon as the node that consumes it has run (unless it
/// is a result), and a contribution is added <i>in place</i> (<c>prev += g</c>, the same kernel and operand order as
/// <c>prev + g</c>, so bitwise the same) when nobody else can see <c>prev</c>: made by this pass, held by one entry of
/// the table, dense, its storage not shared with any view. With createGraph every
/// gradient is part of the new graph: nothing is overwritten, and a gradient the table lets go of is put in
/// <see cref="Dropped"/> for the engine to keep (if a recorded node reads it) or free.</para></summary>
/// <param name="pass">the scope of the pass's tensors</param>
/// <param name="reuse">false with createGraph</param>
/// <param name="results">tensors whose gradients are handed back (never freed)</param>
internal sealed class GradientTable(TensorScope pass, bool reuse, IReadOnlySet<Tensor> results)
{
    private readonly TensorScope? owner = reuse ? pass : null;

    private readonly Dictionary<Tensor, Tensor> grads = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many entries of <see cref="grads"/> hold each gradient object (Add's rule hands g to both inputs).</summary>
    private readonly Dictionary<Tensor, int> uses = new(ReferenceEqualityComparer.Instance);

    public bool TryGet(Tensor t, out Tensor g) => grads.TryGetValue(t, out g!);

    /// <summary>Whether some entry holds the gradient object g.</summary>
    public bool Holds(Tensor g) => uses.ContainsKey(g);

    /// <summary>With createGraph: gradients no entry holds any more, in the order they were let go.</summary>
    public List<Tensor> Dropped { get; } = new();

    /// <summary>grad[t] ← grad[t] + g (or g when t has none yet).</summary>
    public void Add(Tensor t, Tensor g)
    {
        if (!grads.TryGetValue(t, out var prev))
        {
            Set(t, g);
            return;
        }
        if (Writable(prev) && ShapeUtil.SameShape(prev.Shape, g.Shape) && prev.DType == g.DType)
        {
            prev.AddInPlace(g);
            FreeIfUnused(g);
            return;
        }
        var sum = prev + g;
        Unset(t, prev);
        FreeIfUnused(g);
        Set(t, sum);
    }

    /// <summary>The gradient of t = x.Slice(axis, start, length) reaching x: grad[x][start:start+length] += g when the
    /// gradient of x can be written in place; otherwise g zero-padded to x's shape (the Slice rule) and added.</summary>
    public void AddSlice(Tensor x, Tensor g, SliceAttrs a)
    {
        if (grads.TryGetValue(x, out var prev) && Writable(prev) && prev.DType == g.DType)
        {
            prev.AddIntoSlice(a.Axis, a.Start, g);
            return;
        }
        Add(x, g.Pad(a.Axis, a.Start, a.Size - a.Start - a.Length));
    }

    /// <summary>Called once the node that produced t has run: t's gradient is not needed any more (unless it is a
    /// result) and is freed when no other entry holds it.</summary>
    public void Consumed(Tensor t)
    {
        if (results.Contains(t) || !grads.TryGetValue(t, out var g)) return;
        Unset(t, g);
    }

    private void Set(Tensor t, Tensor g)
    {
        // a rule's result is made in the per-node scope: move it to the pass's scope, which outlives the node
        if (g.Scope is { } s && !ReferenceEquals(s, pass) && ReferenceEquals(TensorScope.Current, s)) s.Release(g);
        g.GraphOwned = false; // held by the table now: never freed by a graph (its scope frees it)
        grads[t] = g;
        uses[g] = uses.GetValueOrDefault(g) + 1;
    }

    private void Unset(Tensor t, Tensor g)
    {
        grads.Remove(t);
        if (--uses[g] == 0)
        {
            uses.Remove(g);
            if (owner is null) Dropped.Add(g);
        }
        FreeIfUnused(g);
    }

    /// <summary>Disposes g if this pass made it and no entry holds it. A view of it that an entry holds keeps the
    /// storage alive (storages are reference-counted).</summary>
    private void FreeIfUnused(Tensor g)
    {
        if (owner is null || uses.ContainsKey(g) || !ReferenceEquals(g.Scope, owner)) return;
        g.Dispose();
    }

    private bool Writable(Tensor g) =>
        owner is not null && ReferenceEquals(g.Scope, owner) && uses.GetValueOrDefault(g) == 1 && g.IsDense && g.HoldsStorageAlone;
}
