namespace GanAudio.Kernels.Tests;

/// <summary>The one shape-simplification helper of every backend: size-1 dimensions dropped, neighbours merged only
/// when both operands step through them contiguously, with 64-bit products.</summary>
public class StridedLayoutTests
{
    [Fact]
    public void MergesContiguousDimensionsAndDropsSizeOne()
    {
        var lay = new StridedLayout([2, 1, 3, 4], [12, 99, 4, 1], [24, 5, 8, 2]);
        Assert.Equal([24], lay.Shape);
        Assert.Equal([1], lay.StridesA);
        Assert.Equal([2], lay.StridesB);
        Assert.Equal(24, lay.Numel);
    }

    [Fact]
    public void KeepsDimensionsApartWhenOnlyOneOperandIsContiguous()
    {
        var lay = new StridedLayout([3, 5], [5, 1], [0, 1]);
        Assert.Equal([3, 5], lay.Shape);
        Assert.Equal((10L, 0L), lay.RowOffsets(2));
    }

    [Fact]
    public void StrideProductsAreSixtyFourBit()
    {
        // 65536 · 65536 wraps to 0 in 32-bit arithmetic, which would merge a broadcast (stride 0) dimension into its
        // neighbour and read the wrong elements; in 64 bits it is 2^32 and the dimensions stay apart
        var lay = new StridedLayout([2, 65536], [0, 65536], [65536, 1]);
        Assert.Equal([2, 65536], lay.Shape);
        Assert.Equal((0L, 65536L), lay.RowOffsets(1));
    }

    [Fact]
    public void AllSizeOneAndEmptyShapes()
    {
        var one = new StridedLayout([1, 1], [7, 3], null);
        Assert.Equal([1], one.Shape);
        Assert.Equal(1, one.Numel);
        Assert.Equal(0, new StridedLayout([4, 0, 2], [0, 2, 1], null).Numel);
        Assert.Equal(1, new StridedLayout([], [], null).Numel);
    }
}
