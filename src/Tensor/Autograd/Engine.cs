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
        for (int i = 0; i < leaves.Count; i++)
        {
            var g = grads[i];
            if (g is null) continue;
            var leaf = leaves[i];
            using (TensorScope.Suspend())
            {
                if (leaf.Grad is null) leaf.Grad = createGraph ? TensorScope.Escape(g.Mul(1.0)) : g.ContiguousCopy();
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
        var scope = createGraph ? null : TensorScope.Begin();
        try
        {
            var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < outputs.Count; i++)
            {
                var go = gradOutputs is not null && i < gradOutputs.Count ? gradOutputs[i] : null;
                if (go is not null && !ShapeUtil.SameShape(go.Shape, outputs[i].Shape))
                    throw TensorShapeException.For("Grad", "gradOutput shape differs from the output", go.Shape, outputs[i].Shape);
                Accumulate(grads, outputs[i], go ?? outputs[i].OnesLike());
            }
            foreach (var n in nodes)
            {
                if (n.Output is null || !grads.TryGetValue(n.Output, out var g)) continue;
                var rule = BackwardRules.Table[n.Kind];
                n.Need = new bool[n.Inputs.Length];
                for (int k = 0; k < n.Inputs.Length; k++)
                {
                    var inp = n.Inputs[k];
                    n.Need[k] = inp.RequiresGrad && (wanted.Contains(inp) || (inp.GradFn is { } p && needed.Contains(p)));
                }
                var need = n.Need;
                var gi = rule(n, g);
                n.Need = null;
                for (int k = 0; k < n.Inputs.Length; k++)
                {
                    var inp = n.Inputs[k];
                    if (k >= gi.Length || gi[k] is not { } gk || !need[k]) continue;
                    if (!ShapeUtil.SameShape(gk.Shape, inp.Shape)) gk = gk.SumToShape(inp.Shape);
                    Accumulate(grads, inp, gk);
                }
            }
            var result = new Tensor?[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
                if (grads.TryGetValue(inputs[i], out var g)) result[i] = scope is null ? g : scope.Release(g);
            if (!retain)
                foreach (var n in nodes) n.Release();
            return result;
        }
        finally
        {
            scope?.Dispose();
        }
    }

    private static void Accumulate(Dictionary<Tensor, Tensor> grads, Tensor t, Tensor g)
    {
        grads[t] = grads.TryGetValue(t, out var prev) ? prev + g : g;
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
