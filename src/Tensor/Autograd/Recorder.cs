namespace GanAudio.Tensors.Autograd;

/// <summary>Attaches a node to an op's output when grad mode is on and some input requires grad.</summary>
internal static class Recorder
{
    public static Tensor Record(Tensor output, OpKind kind, object? attrs, params Tensor[] inputs)
    {
        if (!GradMode.Enabled) return output;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return output;
        var node = new Node(kind, inputs, attrs) { Output = output };
        output.GradFn = node;
        return output;
    }
}
