namespace GanAudio.Tensors.Autograd;

/// <summary>Reverse-mode differentiation over the recorded tape.</summary>
public static class Engine
{
    /// <summary>Gradients of Σ⟨gradOutputs[i], outputs[i]⟩ with respect to <paramref name="inputs"/> (torch.autograd.grad).
    /// A missing gradOutput means ones. With <paramref name="createGraph"/> the returned gradients are recorded and can be
    /// differentiated again (WGAN-GP); otherwise the graph's nodes are released unless <paramref name="retainGraph"/>.
    /// Inputs that the outputs do not depend on get null.</summary>
    public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? gradOutputs = null,
        bool createGraph = false, bool? retainGraph = null)
    {
        var leaves = new List<Tensor>();
        var grads = Run(outputs, gradOutputs, createGraph, retainGraph ?? createGraph, leaves, inputs);
        return grads;
    }

    public static Tensor? Grad(Tensor output, Tensor input, bool createGraph = false, bool? retainGraph = null) =>
        Grad([output], [input], null, createGraph, retainGraph)[0];

    /// <summary>Accumulates d output / d leaf into every leaf's <see cref="Tensor.Grad"/> (torch.Tensor.backward).</summary>
    public static void Backward(Tensor output, Tensor? gradOutput = null, bool retainGraph = false, bool createGraph = false)
    {
        var leaves = new List<Tensor>();
        CollectLeaves(output, leaves);
        // without createGraph the per-leaf gradients are temporaries (copied or added into leaf.Grad below); this
        // scope frees them even when the caller has none (the caller never sees them, so could not dispose them)
        using var temporaries = createGraph ? null : TensorScope.Begin();
        var grads = Run([output], [gradOutput], createGraph, retainGraph || createGraph, leaves, leaves);
        var taken = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < leaves.Count; i++)
        {
            var g = grads[i];
            if (g is null) continue;
            var leaf = leaves[i];
            using (TensorScope.Suspend())
            {
                // a gradient this pass made and nobody else sees becomes the leaf's gradient as it is (no copy)
                if (leaf.Grad is null && temporaries is not null && ReferenceEquals(g.Scope, temporaries) && g.IsDense && g.HoldsStorageAlone && taken.Add(g))
                    leaf.Grad = TensorScope.Escape(g);
                else if (leaf.Grad is null) leaf.Grad = createGraph ? TensorScope.Escape(g.Mul(1.0)) : g.ContiguousCopy();
                else if (createGraph) leaf.Grad = TensorScope.Escape(leaf.Grad + g);
                else leaf.Grad.AddInPlace(g);
            }
        }
    }

    private static Tensor?[] Run(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor?>? gradOutputs, bool createGraph, bool retain,
        List<Tensor> leaves, IReadOnlyList<Tensor> inputs)
    {
        foreach (var o in outputs)
            if (!o.RequiresGrad) throw new InvalidOperationException($"Grad: output {o} does not require grad (nothing recorded)");
        var nodes = new List<Node>();
        var seen = new HashSet<Node>();
        var stack = new Stack<Tensor>(outputs);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (t.GradFn is not { } n || !seen.Add(n)) continue;
            if (n.Released) throw new InvalidOperationException($"Grad: the graph through {n.Kind} was already freed; pass retainGraph: true to the first backward pass");
            nodes.Add(n);
            foreach (var i in n.Inputs) stack.Push(i);
        }
        nodes.Sort((a, b) => b.Id.CompareTo(a.Id));

        // only nodes on a path from an output down to a requested input run (and are freed), as in
        // torch.autograd.grad: a gradient w.r.t. an intermediate leaves the graph below it alone
        var wanted = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
        var needed = new HashSet<Node>();
        for (int i = nodes.Count - 1; i >= 0; i--)
            foreach (var inp in nodes[i].Inputs)
                if (wanted.Contains(inp) || (inp.GradFn is { } p && needed.Contains(p)))
                {
                    needed.Add(nodes[i]);
                    break;
                }
        nodes.RemoveAll(n => !needed.Contains(n));

        using var gradMode = createGraph ? GradMode.EnableGrad() : GradMode.NoGrad();
        // the pass's tensors live in this scope, the rules' temporaries in a scope per node. Without createGraph each
        // gradient is freed once consumed and temporaries when their node is done. With createGraph the tensors the new
        // graph's nodes read are kept (held by those nodes, freed when they are released), the results go to the
        // caller's scope, and everything else is freed when its node is done
        var scope = TensorScope.Begin();
        long firstNew = Node.LastId;
        try
        {
            var grads = new GradientTable(scope, !createGraph, wanted);
            for (int i = 0; i < outputs.Count; i++)
            {
                var go = gradOutputs is not null && i < gradOutputs.Count ? gradOutputs[i] : null;
                if (go is not null && !ShapeUtil.SameShape(go.Shape, outputs[i].Shape))
                    throw TensorShapeException.For("Grad", "gradOutput shape differs from the output", go.Shape, outputs[i].Shape);
                grads.Add(outputs[i], go ?? outputs[i].OnesLike());
            }
            foreach (var n in nodes)
            {
                if (n.Output is null || !grads.TryGet(n.Output, out var g)) continue;
                var need = new bool[n.Inputs.Length];
                for (int k = 0; k < n.Inputs.Length; k++)
                {
                    var inp = n.Inputs[k];
                    need[k] = inp.RequiresGrad && (wanted.Contains(inp) || (inp.GradFn is { } p && needed.Contains(p)));
                }
                using (var nodeScope = TensorScope.Begin())
                {
                    if (!createGraph && n.Kind == OpKind.Slice)
                    {
                        // the Slice rule zero-pads g to the input's shape; here g is added into that slice of the input's
                        // gradient instead (same sums, no full-size temporary once the input has a gradient)
                        if (need[0]) grads.AddSlice(n.Inputs[0], g, (SliceAttrs)n.Attrs!);
                    }
                    else
                    {
                        n.Need = need;
                        var gi = BackwardRules.Table[n.Kind](n, g);
                        n.Need = null;
                        for (int k = 0; k < n.Inputs.Length; k++)
                        {
                            var inp = n.Inputs[k];
                            if (k >= gi.Length || gi[k] is not { } gk || !need[k]) continue;
                            if (!ShapeUtil.SameShape(gk.Shape, inp.Shape)) gk = gk.SumToShape(inp.Shape);
                            grads.Add(inp, gk);
                        }
                    }
                    if (createGraph)
                    {
                        grads.Consumed(n.Output);
                        Settle(nodeScope, scope, grads, firstNew);
                    }
                }
                if (!createGraph) grads.Consumed(n.Output);
                // the saved tensors are not needed again: drop the node's references now, not after the whole pass
                if (!retain) n.Release();
            }
            var result = new Tensor?[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
                if (grads.TryGet(inputs[i], out var g))
                    result[i] = createGraph ? g : ReferenceEquals(g.Scope, scope) ? scope.Release(g) : scope.Release(g.Detach());
            if (createGraph) scope.ReleaseAll();
            if (!retain)
                foreach (var n in nodes) n.Release();
            return result;
        }
        finally
        {
            scope.Dispose();
        }
    }

    /// <summary>With createGraph, at the end of a node: each node recorded while <paramref name="nodeScope"/> was current holds the
    /// tensors of this pass that its rule reads (<see cref="BackwardRules.Reads"/>); then each tensor made there or let
    /// go by the table is kept in the pass's scope when the table still holds it, or when some node holds it (it becomes
    /// graph-owned: freed with the last such node), and is freed otherwise (PyTorch frees such tensors by reference count).</summary>
    private static void Settle(TensorScope nodeScope, TensorScope pass, GradientTable grads, long firstNew)
    {
        bool Ours(Tensor? t) => t is not null && !t.IsDisposed && (ReferenceEquals(t.Scope, pass) || ReferenceEquals(t.Scope, nodeScope));
        foreach (var u in nodeScope.Registered)
        {
            if (u.GradFn is not { } m || m.Id <= firstNew || m.Holds is not null) continue;
            var held = new List<Tensor>();
            var (ins, output) = BackwardRules.Reads(m.Kind);
            // also tensors an earlier pass's graph owns: their own nodes may be released before this one
            bool Holdable(Tensor? t) => Ours(t) || t is { GraphOwned: true, IsDisposed: false };
            for (int k = 0; k < m.Inputs.Length; k++)
                if ((ins & (1 << k)) != 0 && Holdable(m.Inputs[k])) held.Add(m.Inputs[k]);
            if (output && Holdable(m.Output)) held.Add(m.Output!);
            foreach (var t in held) t.AddGraphSave();
            m.Holds = held;
        }
        var made = nodeScope.OwnedNow();
        made.AddRange(grads.Dropped);
        grads.Dropped.Clear();
        foreach (var u in made)
        {
            if (!Ours(u)) continue;
            if (!grads.Holds(u))
            {
                if (u.GraphSaves == 0)
                {
                    u.Dispose();
                    continue;
                }
                u.GraphOwned = true;
            }
            if (ReferenceEquals(u.Scope, nodeScope)) nodeScope.Release(u);
        }
    }

    private static void CollectLeaves(Tensor output, List<Tensor> leaves)
    {
        var seenNodes = new HashSet<Node>();
        var seenLeaves = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>();
        stack.Push(output);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (t.GradFn is { } n)
            {
                if (!seenNodes.Add(n)) continue;
                foreach (var i in n.Inputs) stack.Push(i);
            }
            else if (t.RequiresGrad && seenLeaves.Add(t)) leaves.Add(t);
        }
    }
}
