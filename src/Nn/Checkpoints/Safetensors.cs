using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.Nn.Checkpoints;

/// <summary>A malformed or unreadable .safetensors file; the message names the file and what is wrong.</summary>
public sealed class SafetensorsException(string message) : IOException(message);

/// <summary>The safetensors format (as Python's <c>safetensors</c> writes it): an 8-byte little-endian header length,
/// a JSON header mapping names to {dtype, shape, data_offsets} plus optional string <c>__metadata__</c>, then raw
/// little-endian data. Files are written to a temporary name, flushed to disk and renamed.</summary>
public static class Safetensors
{
    private const long MaxHeader = 100_000_000;

    /// <summary>Writes the tensors with a CRC-32C of each tensor's bytes in the metadata (<c>crc32c:&lt;name&gt;</c>,
    /// string values, so Python's safetensors still reads the file); <see cref="Parse"/> verifies them.</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var data = list.Select(p => TensorBytes(p.Value)).ToList();
        var header = new JsonObject();
        var meta = new JsonObject();
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        for (int i = 0; i < list.Count; i++) meta[Crc32C.MetadataKey(list[i].Name)] = Crc32C.Format(Crc32C.Compute(data[i]));
        if (meta.Count > 0) header["__metadata__"] = meta;
        long offset = 0;
        for (int i = 0; i < list.Count; i++)
        {
            var (name, t) = list[i];
            if (header.ContainsKey(name)) throw new ArgumentException($"duplicate tensor name '{name}'");
            long bytes = data[i].Length;
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDType.Name(t.DType),
                ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int pad = (8 - json.Length % 8) % 8;
        var headerBytes = new byte[json.Length + pad];
        json.CopyTo(headerBytes, 0);
        for (int i = json.Length; i < headerBytes.Length; i++) headerBytes[i] = (byte)' ';

        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)headerBytes.Length);
            stream.Write(len);
            stream.Write(headerBytes);
            foreach (var bytes in data) stream.Write(bytes);
        });
    }

    private static byte[] TensorBytes(Tensor t)
    {
        if (t.DType == DType.Float32)
        {
            var data = t.ToFloatArray();
            var bytes = new byte[data.Length * 4];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
            return bytes;
        }
        else if (t.DType == DType.Float64)
        {
            var data = t.ToDoubleArray();
            var bytes = new byte[data.Length * 8];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), data[i]);
            return bytes;
        }
        else throw DTypeExtensions.Unsupported(t.DType, "safetensors save");
    }

    /// <summary>Reads every tensor (onto <paramref name="device"/>) and the metadata (without the checksums, which are
    /// verified here when present; files without them, such as older checkpoints, load unchecked). Tensors belong to no scope.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path, Device? device = null)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetensorsException($"{path}: cannot read ({e.Message})");
        }
        return Parse(file, path, device ?? Device.Cpu);
    }

    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Parse(byte[] file, string path, Device device)
    {
        if (file.Length < 8) throw new SafetensorsException($"{path}: file is {file.Length} bytes, too short for a safetensors header");
        ulong hlen = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (hlen > MaxHeader || (long)hlen > file.Length - 8)
            throw new SafetensorsException($"{path}: header length {hlen} exceeds the file ({file.Length} bytes); the file is truncated or not safetensors");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, (int)hlen)) as JsonObject
                ?? throw new SafetensorsException($"{path}: header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"{path}: header is not valid JSON ({e.Message})");
        }
        long dataStart = 8 + (long)hlen, dataLen = file.Length - dataStart;
        var meta = new Dictionary<string, string>();
        var result = new Dictionary<string, Tensor>();
        try
        {
            var sums = new Dictionary<string, string>();
            if (header["__metadata__"] is JsonObject mo)
                foreach (var (k, v) in mo) (k.StartsWith(Crc32C.MetadataKey(""), StringComparison.Ordinal) ? sums : meta)[k] = v?.GetValue<string>() ?? "";
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__") continue;
                if (node is not JsonObject o) throw new SafetensorsException($"{path}: entry '{name}' is not an object");
                string dt = o["dtype"]?.GetValue<string>() ?? throw new SafetensorsException($"{path}: '{name}' has no dtype");
                var shape = (o["shape"] as JsonArray ?? throw new SafetensorsException($"{path}: '{name}' has no shape"))
                    .Select(x => x?.GetValue<int>() ?? throw new SafetensorsException($"{path}: '{name}' has a null dimension")).ToArray();
                var offs = o["data_offsets"] as JsonArray ?? throw new SafetensorsException($"{path}: '{name}' has no data_offsets");
                if (offs.Count != 2) throw new SafetensorsException($"{path}: '{name}' data_offsets must have two entries");
                long b = offs[0]?.GetValue<long>() ?? -1, e = offs[1]?.GetValue<long>() ?? -1;
                if (shape.Any(s => s < 0)) throw new SafetensorsException($"{path}: '{name}' has a negative dimension");
                if (!SafetensorsDType.TryParse(dt, out var dtype))
                    throw new SafetensorsException($"{path}: '{name}' has dtype {dt}; only F32 and F64 are supported");
                int size = dtype.Size();
                long count = ShapeUtil.NumelLong(shape);
                if (b < 0 || e < b || e > dataLen)
                    throw new SafetensorsException($"{path}: '{name}' data_offsets [{b}, {e}] are outside the data section ({dataLen} bytes)");
                if (e - b != count * size)
                    throw new SafetensorsException($"{path}: '{name}' has {e - b} bytes of data but shape {ShapeUtil.Format(shape)} of {dt} needs {count * size}");
                var span = file.AsSpan((int)(dataStart + b), (int)(e - b));
                if (sums.TryGetValue(Crc32C.MetadataKey(name), out var stored) && stored != Crc32C.Format(Crc32C.Compute(span)))
                    throw new SafetensorsException($"{path}: tensor '{name}' fails its checksum (stored {stored}, computed {Crc32C.Format(Crc32C.Compute(span))}); the file is corrupt");
                using (TensorScope.Suspend())
                {
                    if (dtype == DType.Float32)
                    {
                        var data = new float[count];
                        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]);
                        result[name] = Tensor.FromArray(data, shape, device);
                    }
                    else if (dtype == DType.Float64)
                    {
                        var data = new double[count];
                        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]);
                        result[name] = Tensor.FromArray(data, shape, DType.Float64, device);
                    }
                    else throw DTypeExtensions.Unsupported(dtype, "safetensors load");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or ArgumentException or OverflowException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new SafetensorsException($"{path}: malformed header entry ({ex.Message})");
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return (result, meta);
    }
}
