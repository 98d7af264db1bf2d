using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanAudio.App.Data;

namespace GanAudio.App.Training;

/// <summary>The JSON half of a checkpoint: everything besides tensors that exact resume needs.</summary>
public sealed record TrainerState
{
    public int Format { get; init; } = 1;
    public long Step { get; init; }
    public long OptimizerGSteps { get; init; }
    public long OptimizerDSteps { get; init; }
    /// <summary>(seed, offset) of each random stream: z, gp, shuffle, init, augment.</summary>
    public Dictionary<string, ulong[]> Random { get; init; } = new();
    /// <summary>Where the batcher is: written as {"epoch": e, "position": p}; checkpoints made before that hold "e,p".</summary>
    [JsonConverter(typeof(BatcherStateJsonConverter))]
    public BatcherState DataState { get; init; }
    public string[] ClassNames { get; init; } = [];
    public List<double[]> LossHistory { get; init; } = new();
}

/// <summary>A <see cref="BatcherState"/> as JSON: an object of epoch and position; also reads the older "epoch,position" string.</summary>
public sealed class BatcherStateJsonConverter : JsonConverter<BatcherState>
{
    public override BatcherState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            var p = text.Split(',');
            if (p.Length == 2 && long.TryParse(p[0], CultureInfo.InvariantCulture, out long e) && long.TryParse(p[1], CultureInfo.InvariantCulture, out long pos))
                return new BatcherState(e, pos);
            throw new JsonException($"bad data state '{text}'");
        }
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected the data state {\"epoch\": …, \"position\": …}");
        long? epoch = null, position = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number) throw new JsonException($"data state: {key} must be a whole number");
            if (key == "epoch") epoch = reader.GetInt64();
            else if (key == "position") position = reader.GetInt64();
            else throw new JsonException($"data state: unknown key '{key}'");
        }
        return epoch is { } ep && position is { } ps ? new BatcherState(ep, ps) : throw new JsonException("data state needs epoch and position");
    }

    public override void Write(Utf8JsonWriter writer, BatcherState value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("epoch", value.Epoch);
        writer.WriteNumber("position", value.Position);
        writer.WriteEndObject();
    }
}
