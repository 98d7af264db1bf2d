using System.Buffers.Binary;
using System.Text;
using GanAudio.Kernels;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>Safetensors round trips (F32, F64), files laid out as Python's safetensors writes them, and one clear
/// <see cref="SafetensorsException"/> for each kind of damage, never a crash.</summary>
public sealed class SafetensorsTests : IDisposable
{
    public static TheoryData<string> Rows => DeviceRows.Names;

    private readonly string dir = Path.Combine(Path.GetTempPath(), "ganaudio-nn-st-" + Guid.NewGuid().ToString("N"));
    private readonly TensorScope scope = TensorScope.Begin();

    public SafetensorsTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        scope.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(dir, name);

    [Theory]
    [MemberData(nameof(Rows))]
    public void RoundTripIsBitExactForFloat32AndFloat64(string device)
    {
        var dev = DeviceRows.Get(device);
        float[] f = [1.5f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, float.NaN, 1e-30f, -3.25f, 7f, 0.1f, 2, 3];
        double[] d = [Math.PI, -0.0, double.Epsilon, double.MaxValue, double.PositiveInfinity, double.NaN];
        var a = Tensor.FromArray(f, [3, 2, 2], device: dev);
        var b = Tensor.FromArray(d, [2, 3], device: dev);
        var s = Tensor.Scalar(2.5, DType.Float64, device: dev);
        var v = Tensor.FromArray(new float[] { 4, 5, 6 }, [3], device: dev);
        var meta = new Dictionary<string, string> { ["step"] = "42", ["format"] = "pt" };
        var path = PathOf("rt.safetensors");
        Safetensors.Save(path, [("model.w", a), ("model.b", b), ("scalar", s), ("z.v", v)], meta);

        var (loaded, m) = Safetensors.Load(path, dev);
        Assert.All(loaded.Values, t => Assert.Equal(dev, t.Device));
        Assert.Equal(meta, m.Where(kv => !kv.Key.StartsWith("crc32c:", StringComparison.Ordinal)).ToDictionary());  // plus one checksum per tensor
        Assert.Equal(new[] { "model.b", "model.w", "scalar", "z.v" }, loaded.Keys.Order().ToArray());
        Assert.Equal(DType.Float32, loaded["model.w"].DType);
        Assert.Equal(DType.Float64, loaded["model.b"].DType);
        Assert.Equal(new[] { 3, 2, 2 }, loaded["model.w"].Shape);
        Assert.Equal(Array.Empty<int>(), loaded["scalar"].Shape);
        Assert.Equal(f.Select(BitConverter.SingleToInt32Bits), loaded["model.w"].ToFloatArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(d.Select(BitConverter.DoubleToInt64Bits), loaded["model.b"].ToDoubleArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(2.5, loaded["scalar"].Item());
        Assert.Equal(new float[] { 4, 5, 6 }, loaded["z.v"].ToFloatArray());
        foreach (var t in loaded.Values) t.Dispose();

        // the header is padded to a multiple of 8 bytes and the data section ends the file
        var bytes = File.ReadAllBytes(path);
        long hlen = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, hlen % 8);
        Assert.Equal(8 + hlen + 12 * 4 + 6 * 8 + 8 + 3 * 4, bytes.Length);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EmptyTensorsRoundTrip(string device)
    {
        var dev = DeviceRows.Get(device);
        var path = PathOf("empty.safetensors");
        Safetensors.Save(path, [("e", Tensor.Zeros([0, 3], device: dev)), ("d", Tensor.Zeros([2, 0], DType.Float64, device: dev))]);
        var (loaded, _) = Safetensors.Load(path, dev);
        Assert.Equal(new[] { 0, 3 }, loaded["e"].Shape);
        Assert.Equal(new[] { 2, 0 }, loaded["d"].Shape);
        Assert.Equal(DType.Float64, loaded["d"].DType);
        foreach (var t in loaded.Values) t.Dispose();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void NonContiguousViewsAreSavedInLogicalOrder(string device)
    {
        var dev = DeviceRows.Get(device);
        var a = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3], device: dev);
        var path = PathOf("view.safetensors");
        Safetensors.Save(path, [("t", a.T())]);
        var (loaded, _) = Safetensors.Load(path, dev);
        Assert.Equal(new[] { 3, 2 }, loaded["t"].Shape);
        Assert.Equal(new double[] { 1, 4, 2, 5, 3, 6 }, loaded["t"].ToDoubleArray());
        loaded["t"].Dispose();
    }

    /// <summary>A file as Python's safetensors writes it: compact JSON with __metadata__, data sorted by alignment then
    /// name (so F64 data comes before F32 data), a key order unlike the data order, space padding.</summary>
    [Fact]
    public void PythonLayoutLoads()
    {
        var bytes = PythonFile(
            "{\"__metadata__\":{\"format\":\"pt\"},\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]}," +
            "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},\"c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[40,44]}}",
            data =>
            {
                data.AddRange(Le(0.5)); data.AddRange(Le(-2.0));
                foreach (var x in new float[] { 1, 2, 3, 4, 5, 6 }) data.AddRange(Le(x));
                data.AddRange(Le(9f));
            });
        var (t, meta) = Safetensors.Parse(bytes, "python.safetensors", Device.Cpu);
        Assert.Equal("pt", meta["format"]);
        Assert.Equal(new[] { 2, 3 }, t["a.weight"].Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t["a.weight"].ToFloatArray());
        Assert.Equal(DType.Float64, t["b"].DType);
        Assert.Equal(new[] { 0.5, -2.0 }, t["b"].ToDoubleArray());
        Assert.Equal(9.0, t["c"].Item());
        foreach (var x in t.Values) x.Dispose();
    }

    /// <summary>The committed libtorch fixtures come from a second, independent writer in the Python layout.</summary>
    [Fact]
    public void FixtureFilesFromTheIndependentWriterLoad()
    {
        var (t, meta) = Safetensors.Load(TestSupport.FixturePath("linear.safetensors"));
        Assert.StartsWith("TorchSharp-cpu 0.107.0", meta["origin"]);
        Assert.Equal(new[] { 5, 6 }, t["weight"].Shape);
        Assert.Equal(8, t.Count);
        foreach (var x in t.Values) x.Dispose();
    }

    private static byte[] Le(float v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, v);
        return b;
    }

    private static byte[] Le(double v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, v);
        return b;
    }

    private static byte[] PythonFile(string header, Action<List<byte>> data, ulong? headerLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        int padded = (json.Length + 7) / 8 * 8;
        var file = new List<byte>();
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, headerLength ?? (ulong)padded);
        file.AddRange(len);
        file.AddRange(json);
        for (int i = json.Length; i < padded; i++) file.Add((byte)' ');
        data(file);
        return file.ToArray();
    }

    private static byte[] Valid()
    {
        return PythonFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}",
            d => { foreach (var x in new float[] { 1, 2, 3, 4 }) d.AddRange(Le(x)); });
    }

    private static string Fails(byte[] bytes)
    {
        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Parse(bytes, "bad.safetensors", Device.Cpu));
        Assert.Contains("bad.safetensors", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void ValidBaselineParses()
    {
        var (t, _) = Safetensors.Parse(Valid(), "ok", Device.Cpu);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, t["w"].ToFloatArray());
        t["w"].Dispose();
    }

    [Fact]
    public void TruncatedFilesGiveOneClearError()
    {
        var full = Valid();
        foreach (int keep in new[] { 0, 3, 7, 8, 20, full.Length - 16, full.Length - 1 })
            Fails(full[..keep]);
        Assert.Contains("too short", Fails(full[..5]));
        Assert.Contains("outside the data section", Fails(full[..^1]));
    }

    [Fact]
    public void TruncatedFileOnDiskGivesOneClearError()
    {
        var path = PathOf("cut.safetensors");
        Safetensors.Save(path, [("w", Tensor.Ones([64]))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Throws<SafetensorsException>(() => Safetensors.Load(PathOf("missing.safetensors")));
    }

    [Theory]
    [InlineData(1000UL)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFUL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(200_000_000UL)]
    public void HeaderLengthBeyondTheFileGivesOneClearError(ulong headerLength)
    {
        var bytes = PythonFile("{}", _ => { }, headerLength);
        Assert.Contains("header length", Fails(bytes));
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"w\": 5}")]
    [InlineData("{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"x\"],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[null,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1e30],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"__metadata__\":{\"k\":5},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}")]
    public void MalformedHeadersGiveOneClearError(string header)
    {
        var bytes = PythonFile(header, d => d.AddRange(new byte[16]));
        Fails(bytes);
    }

    [Theory]
    [InlineData(0, 400)]
    [InlineData(12, 28)]
    [InlineData(-4, 12)]
    [InlineData(12, 8)]
    [InlineData(9223372036854775800, 9223372036854775807)]
    public void OffsetsOutOfRangeGiveOneClearError(long begin, long end)
    {
        var bytes = PythonFile($"{{\"w\":{{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[{begin},{end}]}}}}", d => d.AddRange(new byte[16]));
        Fails(bytes);
    }

    [Fact]
    public void SavingReplacesAFileAtomically()
    {
        var path = PathOf("a.safetensors");
        Safetensors.Save(path, [("x", Tensor.Ones([2]))]);
        Safetensors.Save(path, [("y", Tensor.Zeros([3]))]);
        var (t, _) = Safetensors.Load(path);
        Assert.Equal(["y"], t.Keys);
        t["y"].Dispose();
        Assert.Single(Directory.GetFiles(dir));
    }
}
