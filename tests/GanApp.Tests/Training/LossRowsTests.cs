using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Tensors;
using GanAudio.Tests.Shared;

namespace GanApp.Tests.Training;

/// <summary>The device loss table: values written into rows come back exactly as <c>Item()</c> gives them (float32 and
/// float64 sources), unwritten columns read 0, a read zeroes the rows and starts again at row 0, and a CUDA read is one
/// host synchronisation for all rows while writes are none.</summary>
public class LossRowsTests
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    [Theory]
    [MemberData(nameof(Rows))]
    public void RowsComeBackExactlyAndAreZeroedByARead(string name)
    {
        var device = DeviceRows.Get(name);
        using var scope = TensorScope.Begin();
        using var rows = new LossRows(3, 4, device);
        var rng = new RandomStream(11);
        var f = Tensor.Randn([3], rng, device: device);                      // float32 values
        var d = Tensor.Randn([2], rng, dtype: DType.Float64, device: device); // float64 values
        var want = new double[3 * 4];
        var before = Devices.Counters(device);
        for (int r = 0; r < 3; r++)
        {
            var fr = f.Slice(0, r, 1).Reshape();         // a [] scalar
            rows.Write(0, fr);
            want[r * 4] = fr.Item();
            if (r != 1)
            {
                var dr = d.Slice(0, Math.Min(r, 1), 1);  // a [1] tensor
                rows.Write(2, dr);
                want[r * 4 + 2] = dr.Item();
            }
            var m = f.Reshape(1, 3).Sum([1], keepDim: true);  // a [1, 1] tensor
            rows.Write(3, fr);                          // written twice: the later write wins
            rows.Write(3, m);
            want[r * 4 + 3] = m.Item();
            rows.EndRow();
        }
        Assert.True(rows.Full);
        Assert.Throws<InvalidOperationException>(() => rows.Write(0, f.Slice(0, 0, 1)));
        var mid = Devices.Counters(device);
        var got = rows.Read();
        var after = Devices.Counters(device);
        Assert.Equal(want, got);
        Assert.Equal(0, rows.Count);
        if (device.Type == DeviceType.Cuda)
        {
            // the Item() calls above were the reads; the table's own read is one synchronisation of 3 × 4 float64
            Assert.Equal(1, after.HostSyncs - mid.HostSyncs);
            Assert.Equal(3 * 4 * 8, after.BytesFromDevice - mid.BytesFromDevice);
            Assert.True(mid.HostSyncs - before.HostSyncs == 3 + 2 + 3, $"{mid - before}");
        }
        rows.EndRow();
        Assert.Equal(new double[4], rows.Read());  // zeroed by the read
        rows.Write(1, f.Slice(0, 2, 1));
        rows.EndRow();
        rows.Clear();
        Assert.Empty(rows.Read());
        rows.EndRow();
        Assert.Equal(new double[4], rows.Read());
    }

    [Fact]
    public void RejectsTensorsOfMoreThanOneElementAndColumnsOutside()
    {
        using var scope = TensorScope.Begin();
        using var rows = new LossRows(2, 2, Device.Cpu);
        Assert.Throws<ArgumentException>(() => rows.Write(0, Tensor.Zeros([2])));
        Assert.Throws<ArgumentOutOfRangeException>(() => rows.Write(2, Tensor.Zeros([])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LossRows(0, 2, Device.Cpu));
    }
}
