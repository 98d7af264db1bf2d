using GanAudio.Kernels;
using GanAudio.Tensors.Autograd;

namespace GanAudio.Tensors;

/// <summary>An n-dimensional array on a device, with PyTorch semantics: a view (shape, strides, offset) over shared
/// storage, a dtype, and an autograd history. Tensors are <see cref="IDisposable"/>: device memory is released when the
/// last tensor sharing a storage is disposed (there is no finalizer). Temporaries belong to the current
/// <see cref="TensorScope"/>, if any.</summary>
public sealed partial class Tensor : IDisposable
{
    private static long liveTensors;
    private Storage? storage;
    private bool requiresGradLeaf;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset)
    {
        this.storage = storage;
        Shape = shape;
        Strides = strides;
        Offset = offset;
        Interlocked.Increment(ref liveTensors);
        TensorScope.Register(this);
    }

    /// <summary>Number of tensors created and not yet disposed.</summary>
    public static long LiveCount => Interlocked.Read(ref liveTensors);

    /// <summary>Bytes held by undisposed device buffers (all devices).</summary>
    public static long LiveBytes => DeviceBuffer.LiveBytes;

    public int[] Shape { get; }

    public int[] Strides { get; }

    public int Offset { get; }

    public int Rank => Shape.Length;

    public int Numel => ShapeUtil.Numel(Shape);

    public DType DType => Buffer.DType;

    public Device Device => Buffer.Backend.Device;

    internal IBackend Backend => Buffer.Backend;

    internal DeviceBuffer Buffer => (storage ?? throw new ObjectDisposedException(nameof(Tensor), "tensor used after Dispose")).Buffer;

    internal Storage StorageRef => storage ?? throw new ObjectDisposedException(nameof(Tensor), "tensor used after Dispose");

    public bool IsDisposed => storage is null;

    /// <summary>True when no other tensor (view) shares this one's storage: writing it in place is seen by nobody else.</summary>
    internal bool HoldsStorageAlone => storage is { } s && s.RefCount == 1;

    public bool IsContiguous => ShapeUtil.IsContiguous(Shape, Strides);

    /// <summary>Contiguous and starting at the beginning of its buffer (what the kernels take without a copy).</summary>
    public bool IsDense => IsContiguous && Offset == 0;

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal TensorScope? Scope { get; set; }

    /// <summary>How many recorded nodes read this tensor's data in their backward rule and hold it (see
    /// <see cref="Node.Holds"/>): only tensors a createGraph pass made for its new graph have any.</summary>
    internal int GraphSaves { get; private set; }

    /// <summary>Made by a createGraph pass, handed to nobody, kept only for the nodes that read it: disposed when the
    /// last of them is released (a backward pass without retainGraph through it), or with its scope.</summary>
    internal bool GraphOwned { get; set; }

    internal void AddGraphSave() => GraphSaves++;

    internal void DropGraphSave()
    {
        if (--GraphSaves == 0 && GraphOwned) Dispose();
    }

    /// <summary>The autograd node that produced this tensor (null for leaves and for tensors made without grad).</summary>
    internal Node? GradFn { get; set; }

    /// <summary>Accumulated gradient of a leaf after <see cref="Backward"/>.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True for leaves that ask for gradients and for results of recorded ops.</summary>
    public bool RequiresGrad
    {
        get => requiresGradLeaf || GradFn is not null;
        set
        {
            if (GradFn is not null && !value) throw new InvalidOperationException("RequiresGrad can only be cleared on leaves; use Detach()");
            requiresGradLeaf = value;
        }
    }

    public bool IsLeaf => GradFn is null;

    /// <summary>Accumulates gradients into the leaves' <see cref="Grad"/> (torch.Tensor.backward).</summary>
    public void Backward(Tensor? gradOutput = null, bool retainGraph = false, bool createGraph = false) =>
        Engine.Backward(this, gradOutput, retainGraph, createGraph);

    public int Size(int axis) => Shape[ShapeUtil.NormalizeAxis(axis, Rank, "Size")];

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (fluent).</summary>
    public Tensor RequireGrad(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    public void Dispose()
    {
        var s = Interlocked.Exchange(ref storage, null);
        if (s is null) return;
        Interlocked.Decrement(ref liveTensors);
        s.Release();
        // GradFn stays: the tape still passes through this tensor (a rule that needs its data fails loudly)
    }

    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor({ShapeUtil.Format(Shape)}, {DType}, {Device}{(RequiresGrad ? ", requires_grad" : "")})";

    /// <summary>A new tensor sharing this one's storage with another view.</summary>
    internal Tensor View(int[] shape, int[] strides, int offset)
    {
        var s = StorageRef;
        s.AddRef();
        return new Tensor(s, shape, strides, offset);
    }

    /// <summary>The operand descriptor the strided kernels take, broadcast to <paramref name="target"/>.</summary>
    internal StridedOperand Operand(int[] target) => new(Buffer, Offset, ShapeUtil.BroadcastStrides(Shape, Strides, target));

    internal StridedOperand Operand() => new(Buffer, Offset, Strides);

    internal static Tensor Empty(int[] shape, DType dtype, Device device)
    {
        var buf = Devices.Backend(device).Allocate(dtype, ShapeUtil.Numel(shape));
        return new Tensor(new Storage(buf), (int[])shape.Clone(), ShapeUtil.ContiguousStrides(shape), 0);
    }

    /// <summary>A tensor sharing this one's data with no autograd history (PyTorch's detach()).</summary>
    public Tensor Detach() => View(Shape, Strides, Offset);
}
