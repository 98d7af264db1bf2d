using GanAudio.Kernels;
using GanAudio.Nn.Checkpoints;
using GanAudio.Nn.Layers;

namespace GanAudio.Nn.Tests;

/// <summary>Layers built with, and checkpoints asked to name, a dtype without kernels (<see cref="DType.BFloat16"/>) throw
/// NotSupportedException naming it, instead of building float64 parameters or writing "F64".</summary>
public class UnsupportedDTypeTests
{
    public static TheoryData<string> Layers => new() { "Linear", "Conv1d", "ConvTranspose1d", "Embedding", "BatchNorm1d" };

    [Theory]
    [MemberData(nameof(Layers))]
    public void LayersRefuseTheDType(string layer)
    {
        const DType t = DType.BFloat16;
        var e = Assert.Throws<NotSupportedException>(() =>
        {
            IDisposable m = layer switch
            {
                "Linear" => new Linear(3, 2, dtype: t),
                "Conv1d" => new Conv1d(2, 3, 5, dtype: t),
                "ConvTranspose1d" => new ConvTranspose1d(2, 3, 5, dtype: t),
                "Embedding" => new Embedding(4, 3, dtype: t),
                _ => new BatchNorm1d(3, dtype: t),
            };
            m.Dispose();
        });
        Assert.Contains("BFloat16", e.Message);
    }

    [Fact]
    public void SafetensorsNamesOnlyF32AndF64()
    {
        Assert.Equal("F32", SafetensorsDType.Name(DType.Float32));
        Assert.Equal("F64", SafetensorsDType.Name(DType.Float64));
        var e = Assert.Throws<NotSupportedException>(() => SafetensorsDType.Name(DType.BFloat16));
        Assert.Contains("safetensors", e.Message);
        Assert.False(SafetensorsDType.TryParse("BF16", out _));
    }
}
