namespace GanAudio.Tensors.Autograd;

/// <summary>One recorded op on the tape: its kind, its inputs, its output and the attributes the backward rule needs.</summary>
internal sealed class Node
{
    private static long nextId;

    public Node(OpKind kind, Tensor[] inputs, object? attrs)
    {
        Kind = kind;
        Inputs = inputs;
        Attrs = attrs;
        Id = Interlocked.Increment(ref nextId);
    }

    public OpKind Kind { get; }

    /// <summary>Inputs in op order (some may not require grad).</summary>
    public Tensor[] Inputs { get; private set; }

    /// <summary>The tensor this node produced (rules such as Tanh and Exp use it).</summary>
    public Tensor? Output { get; set; }

    public object? Attrs { get; }

    /// <summary>Creation order: a node is always newer than the nodes of its inputs.</summary>
    public long Id { get; }

    public bool Released { get; private set; }

    /// <summary>Set by the engine before running the backward rule: whether input k's gradient is wanted. Rules of
    /// expensive ops skip the gradients nobody asked for (a gradient penalty needs ∂/∂x, not the weight gradients).</summary>
    public bool[]? Need { get; set; }

    public bool Needs(int k) => Need is null || Need[k];

    /// <summary>The tensors of a createGraph pass that this node's rule reads (<see cref="BackwardRules.Reads"/>); null
    /// when the node was recorded elsewhere. Released with the node, which frees those no other node holds.</summary>
    public List<Tensor>? Holds { get; set; }

    /// <summary>The last id handed out: nodes recorded later have larger ids.</summary>
    public static long LastId => Interlocked.Read(ref nextId);

    /// <summary>Drops references after a backward pass without retainGraph (its rule has run, or will not).</summary>
    public void Release()
    {
        if (Released) return;
        Released = true;
        Inputs = [];
        Output = null;
        var held = Holds;
        Holds = null;
        if (held is not null)
            foreach (var t in held) t.DropGraphSave();
    }
}
