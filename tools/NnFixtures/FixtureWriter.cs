using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace GanAudio.Tools.NnFixtures;

/// <summary>A .safetensors writer laid out as Python's <c>safetensors</c> writes files (compact JSON header with
/// <c>__metadata__</c> first, tensors ordered by name, header padded with spaces to a multiple of 8, raw little-endian
/// data). Written independently of GanAudio.Nn so the fixtures also check our reader against a second writer.</summary>
internal sealed class FixtureWriter
{
    private readonly SortedDictionary<string, (string DType, long[] Shape, byte[] Data)> tensors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> metadata = new(StringComparer.Ordinal);

    public FixtureWriter Meta(string key, string value)
    {
        metadata[key] = value;
        return this;
    }

    public FixtureWriter Add(string name, float[] data, long[] shape)
    {
        var bytes = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        tensors.Add(name, ("F32", shape, bytes));
        return this;
    }

    public FixtureWriter Add(string name, double[] data, long[] shape)
    {
        var bytes = new byte[data.Length * 8];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), data[i]);
        tensors.Add(name, ("F64", shape, bytes));
        return this;
    }

    public void Save(string path)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata.Count > 0)
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, (dtype, shape, data)) in tensors)
            {
                w.WriteStartObject(name);
                w.WriteString("dtype", dtype);
                w.WriteStartArray("shape");
                foreach (var d in shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += data.Length;
            }
            w.WriteEndObject();
        }
        var json = ms.ToArray();
        int padded = (json.Length + 7) / 8 * 8;
        using var fs = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        fs.Write(len);
        fs.Write(json);
        for (int i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
        foreach (var (_, (_, _, data)) in tensors) fs.Write(data);
        Console.WriteLine($"wrote {path} ({fs.Length} bytes, {tensors.Count} tensors)");
    }
}
