using System.Text.Json;
using System.Text.Json.Serialization;
using GanAudio.Kernels;

namespace GanAudio.App.Training;

/// <summary>Writes and reads the enums of option words (<see cref="Choice"/>) as their words, "wgan-gp", never as numbers.</summary>
public sealed class ChoiceJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => Choice.IsChoice(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Of<>).MakeGenericType(typeToConvert))!;

    private sealed class Of<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && Choice.TryParse(typeof(T), reader.GetString(), out var v)) return (T)v!;
            throw new JsonException($"expected {Choice.Alternatives(typeof(T))}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
    }
}

/// <summary>A device as config.json writes it: "cpu", "cuda" (device 0) or "cuda:N"; reads whatever <see cref="Device.Parse"/> takes.</summary>
public sealed class DeviceJsonConverter : JsonConverter<Device>
{
    public override Device Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && ConfigDevice.TryParse(reader.GetString(), out var d)) return d;
        throw new JsonException("expected cpu, cuda or cuda:N");
    }

    public override void Write(Utf8JsonWriter writer, Device value, JsonSerializerOptions options) => writer.WriteStringValue(ConfigDevice.Name(value));
}

/// <summary>The <c>--device</c> option's words.</summary>
public static class ConfigDevice
{
    public static bool TryParse(string? text, out Device device)
    {
        device = Device.Cpu;
        if (text is null) return false;
        try
        {
            device = Device.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The device, else the one line "--device tpu: unknown device; use cpu, cuda or cuda:N".</summary>
    public static Device Parse(string text) =>
        TryParse(text, out var d) ? d : throw new UsageException($"--device {text}: unknown device; use cpu, cuda or cuda:N");

    public static string Name(Device d) => d.Type == DeviceType.Cpu ? "cpu" : d.Index == 0 ? "cuda" : $"cuda:{d.Index}";
}
