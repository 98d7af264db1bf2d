namespace GanAudio.Tensors;

/// <summary>A shape or dtype/device mismatch, naming the op and the shapes involved.</summary>
public sealed class TensorShapeException(string message) : Exception(message)
{
    public static TensorShapeException For(string op, string detail, params int[][] shapes) =>
        new($"{op}: {detail} (shapes {string.Join(" and ", shapes.Select(ShapeUtil.Format))})");
}
