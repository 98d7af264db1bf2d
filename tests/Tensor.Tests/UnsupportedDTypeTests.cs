using GanAudio.Kernels;

namespace GanAudio.Tensors.Tests;

/// <summary>A dtype that is neither float32 nor float64 (<see cref="DType.BFloat16"/>, declared but without kernels) fails
/// loudly at every public entry that takes a dtype, on every device row: NotSupportedException naming the op and the
/// dtype; no entry hands back a tensor that silently holds float64.</summary>
public class UnsupportedDTypeTests
{
    private const DType Bf16 = DType.BFloat16;

    /// <summary>Every Tensor entry that takes a dtype, and the op name its error must carry.</summary>
    public static IEnumerable<TheoryDataRow> Entries() => DeviceRows.Cross(new (string, string)[]
    {
        ("Zeros", "allocate"), ("Ones", "allocate"), ("Full", "allocate"), ("Scalar", "allocate"), ("Arange", "allocate"),
        ("Rand", "allocate"), ("Randn", "allocate"), ("FromArray", "allocate"), ("To(dtype)", "Tensor.To"),
    }.Select(e => new TheoryDataRow(e.Item1, e.Item2)));

    private static Tensor Make(string entry, Device dev) => entry switch
    {
        "Zeros" => Tensor.Zeros([3], Bf16, dev),
        "Ones" => Tensor.Ones([3], Bf16, dev),
        "Full" => Tensor.Full([2, 2], 1.5, Bf16, dev),
        "Scalar" => Tensor.Scalar(2, Bf16, dev),
        "Arange" => Tensor.Arange(4, dtype: Bf16, device: dev),
        "Rand" => Tensor.Rand([5], new RandomStream(1), dtype: Bf16, device: dev),
        "Randn" => Tensor.Randn([5], new RandomStream(1), dtype: Bf16, device: dev),
        "FromArray" => Tensor.FromArray([1.0, 2.0], [2], Bf16, dev),
        "To(dtype)" => Tensor.Arange(4, dtype: DType.Float64, device: dev).To(Bf16),
        _ => throw new ArgumentException(entry),
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void EveryEntryThrowsNamingTheOpAndTheDType(string device, string entry, string op)
    {
        var dev = DeviceRows.Get(device);
        Tensor? made = null;
        var e = Assert.Throws<NotSupportedException>(() => made = Make(entry, dev));
        Assert.Null(made);
        Assert.Contains(op, e.Message);
        Assert.Contains("BFloat16", e.Message);
    }

    /// <summary>The backends refuse the buffer itself, so no kernel can meet one (each kernel's dispatch also throws).</summary>
    [Theory]
    [MemberData(nameof(DeviceRows.Names), MemberType = typeof(DeviceRows))]
    public void BackendsRefuseTheBuffer(string device)
    {
        var be = Devices.Backend(DeviceRows.Get(device));
        var e = Assert.Throws<NotSupportedException>(() => be.Allocate(Bf16, 4));
        Assert.Contains("BFloat16", e.Message);
    }

    [Fact]
    public void DTypeHelpersThrowInsteadOfAnsweringFloat64()
    {
        Assert.Equal(4, DType.Float32.Size());
        Assert.Equal(8, DType.Float64.Size());
        Assert.Equal("f64", DType.Float64.Suffix());
        Assert.Contains("element size", Assert.Throws<NotSupportedException>(() => Bf16.Size()).Message);
        Assert.Contains("kernel name", Assert.Throws<NotSupportedException>(() => Bf16.Suffix()).Message);
        Assert.False(Bf16.IsSupported());
        Assert.Contains("my op", Assert.Throws<NotSupportedException>(() => Bf16.RequireSupported("my op")).Message);
        Assert.Equal(DType.Float32, DType.Float32.RequireSupported("x"));
    }
}
