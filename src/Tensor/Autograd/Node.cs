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

    /// <summary>Drops references after a backward pass without retainGraph.</summary>
    public void Release()
    {
        Released = true;
        Inputs = [];
        Output = null;
    }
}
