using System.Buffers.Binary;
using System.Text;
using GanAudio.Nn.Checkpoints;
using GanAudio.Tensors;

namespace GanAudio.Nn.Tests;

/// <summary>Per-tensor CRC-32C in checkpoints: known vectors, corruption caught and named, old files without
/// checksums still load, NaN detection, and file errors that name the target rather than the temporary file.</summary>
public sealed class ChecksumTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "ganaudio-nn-crc-" + Guid.NewGuid().ToString("N"));
    private readonly TensorScope scope = TensorScope.Begin();

    public ChecksumTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        scope.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Crc32CMatchesKnownVectors()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8)); // the CRC catalogue's check value
        Assert.Equal(0u, Crc32C.Compute([]));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32])); // RFC 3720 B.4: 32 zero bytes
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray())); // 32 bytes of 0xFF
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray())); // 0..31
    }

    private string SaveTwo(out byte[] file)
    {
        var path = Path.Combine(dir, "c.safetensors");
        var a = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => i * 0.5f).ToArray(), [8, 8]);
        var b = Tensor.FromArray(new double[] { 1, 2, 3 }, [3], Kernels.DType.Float64);
        Safetensors.Save(path, [("net.a", a), ("net.b", b)], new Dictionary<string, string> { ["step"] = "7" });
        file = File.ReadAllBytes(path);
        return path;
    }

    [Fact]
    public void AppendingInPiecesGivesTheWholeChecksum()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        uint c = Crc32C.Start;
        foreach (var (start, length) in new[] { (0, 1), (1, 332), (333, 0), (333, 666), (999, 1) }) c = Crc32C.Append(c, data.AsSpan(start, length));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(c));
    }

    /// <summary>Tensors larger than a chunk are streamed in pieces: the file holds their bytes in order, little-endian,
    /// with the checksum of all of them (the header is written again at the end with the same length), and loads back.</summary>
    [Fact]
    public void TensorsLargerThanAChunkStreamWithTheirWholeChecksum()
    {
        var path = Path.Combine(dir, "big.safetensors");
        int n = 2 * Safetensors.ChunkElements + 3;
        var values = Enumerable.Range(0, n).Select(i => (float)Math.Sin(i * 0.001)).ToArray();
        var big = Tensor.FromArray(values, [n]).RequireGrad();  // a parameter, as in a checkpoint
        var small = Tensor.FromArray(new double[] { 1, -2, 3.5 }, [3], Kernels.DType.Float64);
        Safetensors.Save(path, [("big", big), ("small", small)]);
        var file = File.ReadAllBytes(path);
        int hlen = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = Encoding.UTF8.GetString(file, 8, hlen);
        var expected = new byte[4L * n];
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(i * 4), values[i]);
        Assert.Equal(expected, file.AsSpan(8 + hlen, expected.Length).ToArray());
        Assert.Contains($"\"crc32c:big\":\"{Crc32C.Format(Crc32C.Compute(expected))}\"", header);
        Assert.Equal(8 + hlen + expected.Length + 24, file.Length);
        var (t, _) = Safetensors.Parse(file, path, Kernels.Device.Cpu);
        Assert.Equal(values, t["big"].ToFloatArray());
        Assert.Equal(new double[] { 1, -2, 3.5 }, t["small"].ToDoubleArray());
        foreach (var x in t.Values) x.Dispose();
    }

    [Fact]
    public void ChecksumsAreStoredAsStringMetadataAndNotReturned()
    {
        SaveTwo(out var file);
        int hlen = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = Encoding.UTF8.GetString(file, 8, hlen);
        Assert.Contains("\"crc32c:net.a\":\"", header); // a string value: Python's safetensors accepts only strings in __metadata__
        var (t, meta) = Safetensors.Parse(file, "c", Kernels.Device.Cpu);
        Assert.Equal(new Dictionary<string, string> { ["step"] = "7" }, meta);
        foreach (var x in t.Values) x.Dispose();
    }

    [Fact]
    public void ACorruptedByteIsCaughtAndNamed()
    {
        var path = SaveTwo(out var file);
        int hlen = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        file[8 + hlen + 10] ^= 0x40; // inside net.a's data
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'net.a' fails its checksum", e.Message);
    }

    [Fact]
    public void FilesWithoutChecksumsStillLoad()
    {
        // the format before checksums: a header without crc32c keys
        var json = "{\"__metadata__\":{\"step\":\"1\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        var h = Encoding.UTF8.GetBytes(json.PadRight((json.Length + 7) / 8 * 8));
        var file = new byte[8 + h.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)h.Length);
        h.CopyTo(file, 8);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + h.Length), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + h.Length + 4), -2f);
        var (t, meta) = Safetensors.Parse(file, "old", Kernels.Device.Cpu);
        Assert.Equal([1.5f, -2f], t["w"].ToFloatArray());
        Assert.Equal("1", meta["step"]);
        t["w"].Dispose();
    }

    [Fact]
    public void NaNAndInfinityAreFoundAndNamed()
    {
        var path = Path.Combine(dir, "n.safetensors");
        var ok = Tensor.FromArray(new float[] { 1, 2 }, [2]);
        var bad = Tensor.FromArray(new float[] { 1, float.NaN, float.PositiveInfinity, 4 }, [4]);
        Safetensors.Save(path, [("ok", ok), ("opt.m", bad)]);
        var (t, _) = Safetensors.Load(path); // the checksums hold: the file is what was written
        var e = Assert.Throws<SafetensorsException>(() => TensorChecks.RequireFinite(t, path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'opt.m' holds 2 NaN or infinite values of 4", e.Message);
        t.Remove("opt.m", out var m);
        m!.Dispose();
        TensorChecks.RequireFinite(t, path); // the finite one passes
        foreach (var x in t.Values) x.Dispose();
    }

    [Fact]
    public void AFailedWriteNamesTheTargetNotTheTemporaryFile()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Directory.Exists("/proc/self"), "needs /proc (a folder nobody can create files in, root included)");
        var target = "/proc/self/ganaudio-test.json";
        var e = Assert.ThrowsAny<Exception>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
        Assert.Contains(target, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
    }

    [Fact]
    public void ARealDiskFullErrorIsRecognised()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/dev/full"), "needs /dev/full (writes fail with ENOSPC)");
        var e = Assert.ThrowsAny<IOException>(() =>
        {
            using var fs = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            fs.Write(new byte[4096]);
            fs.Flush();
        });
        Assert.True(AtomicFile.IsDiskFull(e), $"HResult {e.HResult}: {e.Message}");
        Assert.False(AtomicFile.IsDiskFull(new IOException("other")));
        Assert.True(AtomicFile.IsTemporaryName(".step-000004.safetensors.1234.0123456789abcdef0123456789abcdef.tmp"));
        Assert.False(AtomicFile.IsTemporaryName("step-000004.safetensors"));
    }
}
