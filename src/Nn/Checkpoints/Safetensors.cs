using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GanAudio.Kernels;
using GanAudio.Tensors;
using GanAudio.Tensors.Autograd;

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
    /// string values, so Python's safetensors still reads the file); <see cref="Parse"/> verifies them. The data is
    /// streamed: each tensor is downloaded in chunks of <see cref="ChunkElements"/>, checksummed and written as it goes,
    /// and the header, written first with placeholder checksums of the same width, is rewritten at the end (a checkpoint
    /// of a large model used to hold every tensor's bytes at once, on top of the training's memory).</summary>
    public static void Save(string path, IEnumerable<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var placeholder = new uint[list.Count];
        var headerBytes = Header(list, placeholder, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)headerBytes.Length);
            stream.Write(len);
            stream.Write(headerBytes);
            var crcs = new uint[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                uint c = Crc32C.Start;
                WriteBytes(list[i].Value, bytes =>
                {
                    c = Crc32C.Append(c, bytes);
                    stream.Write(bytes);
                });
                crcs[i] = Crc32C.Finish(c);
            }
            var final = Header(list, crcs, metadata);
            // checksums are fixed-width hex, so the header keeps its length
            if (final.Length != headerBytes.Length) throw new InvalidOperationException("safetensors: header length changed with the checksums");
            stream.Position = 8;
            stream.Write(final);
        });
    }

    /// <summary>Elements downloaded and written at a time (4 MiB of float32).</summary>
    public const int ChunkElements = 1 << 20;

    /// <summary>The header's bytes (JSON padded with spaces to a multiple of 8): metadata with the checksums, then each
    /// tensor's dtype, shape and data offsets.</summary>
    private static byte[] Header(List<(string Name, Tensor Value)> list, uint[] crcs, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new JsonObject();
        var meta = new JsonObject();
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        for (int i = 0; i < list.Count; i++) meta[Crc32C.MetadataKey(list[i].Name)] = Crc32C.Format(crcs[i]);
        if (meta.Count > 0) header["__metadata__"] = meta;
        long offset = 0;
        for (int i = 0; i < list.Count; i++)
        {
            var (name, t) = list[i];
            if (header.ContainsKey(name)) throw new ArgumentException($"duplicate tensor name '{name}'");
            long bytes = (long)t.Numel * ElementSize(t.DType);
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
        return headerBytes;
    }

    private static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        _ => throw DTypeExtensions.Unsupported(dtype, "safetensors save"),
    };

    private delegate void BytesSink(ReadOnlySpan<byte> bytes);

    /// <summary>Hands <paramref name="t"/>'s elements in row-major order, little-endian, to <paramref name="sink"/>,
    /// <see cref="ChunkElements"/> at a time.</summary>
    private static void WriteBytes(Tensor t, BytesSink sink)
    {
        int size = ElementSize(t.DType);
        int n = t.Numel;
        if (n == 0) return;
        using var nograd = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var flat = t.Reshape(n);
        byte[]? swapped = BitConverter.IsLittleEndian ? null : new byte[Math.Min(n, ChunkElements) * size];
        for (int start = 0; start < n; start += ChunkElements)
        {
            int len = Math.Min(ChunkElements, n - start);
            using var part = len == n ? flat.Detach() : flat.Slice(0, start, len);
            if (size == 4)
            {
                var data = part.ToFloatArray();
                if (swapped is null) sink(MemoryMarshal.AsBytes(data.AsSpan()));
                else
                {
                    for (int i = 0; i < len; i++) BinaryPrimitives.WriteSingleLittleEndian(swapped.AsSpan(i * 4), data[i]);
                    sink(swapped.AsSpan(0, len * 4));
                }
            }
            else
            {
                var data = part.ToDoubleArray();
                if (swapped is null) sink(MemoryMarshal.AsBytes(data.AsSpan()));
                else
                {
                    for (int i = 0; i < len; i++) BinaryPrimitives.WriteDoubleLittleEndian(swapped.AsSpan(i * 8), data[i]);
                    sink(swapped.AsSpan(0, len * 8));
                }
            }
        }
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
