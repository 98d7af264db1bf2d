using System.Text.Json;
using GanAudio.App.Data;
using GanAudio.App.Training;
using GanAudio.Kernels;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary>Run folders written before the configuration was typed still read, resume and write back the same text.</summary>
[Collection("cli")]
public class ConfigCompatibilityTests
{
    // written by `GanApp train --data ../shared/data/gtzan-mini --genres classical,metal --conditional --steps 10 --seed 1`
    // before the options were parsed into enums (string-valued record)
    private const string OldConfig = """
        {
          "data": "../shared/data/gtzan-mini",
          "genres": [
            "classical",
            "metal"
          ],
          "sample-rate": 16000,
          "hop": 0,
          "random-crop": false,
          "normalize": "peak",
          "model": "wavegan",
          "length": 16384,
          "model-size": 8,
          "latent": 100,
          "phase-shuffle": 2,
          "phase-shuffle-per-example": false,
          "batch-norm": false,
          "upsample": true,
          "post-filter": 0,
          "hidden-units": 256,
          "hidden-layers": 2,
          "conv-layers": 4,
          "extra-layers": 0,
          "channels": 64,
          "conditional": true,
          "init": "tf",
          "loss": "hinge",
          "gp-lambda": 10,
          "d-steps": 1,
          "g-steps": 1,
          "clip": 0.01,
          "label-smoothing": 0,
          "two-sided-smoothing": false,
          "optimizer": "adam",
          "lr-g": 0.0002,
          "lr-d": 0.0002,
          "beta1": 0.5,
          "beta2": 0.9,
          "batch": 16,
          "steps": 10,
          "seed": 1,
          "sample-every": 200,
          "sample-count": 8,
          "checkpoint-every": 200,
          "keep-checkpoints": 5,
          "log-every": 10,
          "device": "cpu",
          "threads": 0,
          "preset": "cpu",
          "minutes": 0,
          "ema-half-life": 2000,
          "r1-gamma": 1,
          "r1-every": 16,
          "stft-discriminators": [
            1024,
            256
          ],
          "stft-channels": 64,
          "wave-discriminator": false,
          "augment": null,
          "eval-every": 0,
          "eval-classifier": null
        }
        """;

    [Fact]
    public void AnOldConfigJsonReadsIntoTypedValuesAndWritesBackTheSameText()
    {
        var cfg = TrainConfig.FromJson(OldConfig, "config.json");
        Assert.Equal(ModelKind.WaveGan, cfg.Model);
        Assert.Equal(LossKind.Hinge, cfg.Loss);
        Assert.Equal(OptimizerKind.Adam, cfg.Optimizer);
        Assert.Equal(NormalizeMode.Peak, cfg.Normalize);
        Assert.Equal(WeightInit.TensorFlow, cfg.Init);
        Assert.Equal(PresetKind.Cpu, cfg.Preset);
        Assert.Equal(Device.Cpu, cfg.Device);
        Assert.Null(cfg.Augment);
        Assert.Equal(GeneratorOutputKind.Wave, cfg.GeneratorOutput);
        Assert.Equal(512, cfg.GeneratorFft);
        Assert.Equal(0.05, cfg.EmaRampup);   // older runs resume with the ramp-up they were trained with
        Assert.Equal(PrecisionKind.Tf32, cfg.Precision);
        Assert.Equal(1, cfg.GpEvery);   // the gradient penalty every critic step, as before --gp-every
        Assert.Equal(0, cfg.DModelSize);  // the critic at the generator's model size, as before --d-model-size
        // keys added since are written at their defaults, in their places; every old key keeps its text
        string expected = OldConfig.ReplaceLineEndings("\n")
            .Replace("\"wave-discriminator\": false,\n", "\"wave-discriminator\": false,\n  \"generator-output\": \"wave\",\n  \"generator-fft\": 512,\n", StringComparison.Ordinal)
            .Replace("\"ema-half-life\": 2000,\n", "\"ema-half-life\": 2000,\n  \"ema-rampup\": 0.05,\n", StringComparison.Ordinal)
            .Replace("\"threads\": 0,\n", "\"threads\": 0,\n  \"precision\": \"tf32\",\n", StringComparison.Ordinal)
            .Replace("\"gp-lambda\": 10,\n", "\"gp-lambda\": 10,\n  \"gp-every\": 1,\n", StringComparison.Ordinal)
            .Replace("\"model-size\": 8,\n", "\"model-size\": 8,\n  \"d-model-size\": 0,\n", StringComparison.Ordinal);
        Assert.Equal(expected, cfg.ToJson().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("""{"model": "study-conv", "loss": "wgan-clip", "optimizer": "rmsprop", "normalize": "zscore-dataset", "init": "torch", "device": "cuda", "preset": null, "augment": ["gain", "shift"], "precision": "fp32"}""")]
    [InlineData("""{"model": "study-mlp", "loss": "bce", "optimizer": "sgd", "normalize": "none", "device": "cuda:1", "preset": "wavegan", "augment": [], "precision": "tf32"}""")]
    public void EveryWordRoundTrips(string json)
    {
        var cfg = TrainConfig.FromJson(json, "c.json");
        var again = TrainConfig.FromJson(cfg.ToJson(), "c.json");
        Assert.Equal(cfg.ToJson(), again.ToJson());
        var written = JsonNode(cfg.ToJson());
        foreach (var (key, value) in JsonNode(json)) Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(value, written[key]), $"{key}: {value?.ToJsonString()} became {written[key]?.ToJsonString()}");
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void DeviceWordsAreThoseDeviceParseTakes()
    {
        Assert.Equal(Device.Cuda(0), TrainConfig.FromJson("""{"device": "gpu"}""", "c.json").Device);
        Assert.Equal(Device.Cuda(2), TrainConfig.FromJson("""{"device": " CUDA:2 "}""", "c.json").Device);
        Assert.Contains("\"device\": \"cuda:2\"", TrainConfig.FromJson("""{"device": "cuda:2"}""", "c.json").ToJson());
    }

    [Fact]
    public void TrainerStateReadsTheOldDataStateStringAndWritesAnObject()
    {
        var old = JsonSerializer.Deserialize<TrainerState>("""{"format": 1, "step": 10, "data-state": "3,17"}""", TrainConfig.Json)!;
        Assert.Equal(new BatcherState(3, 17), old.DataState);
        var text = JsonSerializer.Serialize(old, TrainConfig.Json);
        Assert.Contains("\"epoch\": 3", text);
        Assert.Equal(new BatcherState(3, 17), JsonSerializer.Deserialize<TrainerState>(text, TrainConfig.Json)!.DataState);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainerState>("""{"data-state": "3;17"}""", TrainConfig.Json));
    }

    /// <summary>A run whose checkpoints hold the old "epoch,position" data state resumes exactly as an uninterrupted run.</summary>
    [Fact]
    public void ResumeFromOldFormatCheckpointsIsExact()
    {
        var dir = TempDir();
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        string[] common = ["--d-steps", "2", "--model-size", "2", "--batch", "3", "--sample-count", "1", "--log-every", "1",
            "--checkpoint-every", "2", "--sample-every", "0", "--seed", "7", "--threads", "1"];
        Assert.Equal(0, RunCli(["train", "--out", a, "--steps", "5", .. common]).Code);
        Assert.Equal(0, RunCli(["train", "--out", b, "--steps", "3", .. common]).Code);
        var rb = new RunFolder(b);
        foreach (var step in rb.CheckpointSteps())
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(rb.StatePath(step)))!.AsObject();
            var s = node["data-state"]!;
            node["data-state"] = $"{(long)s["epoch"]!},{(long)s["position"]!}";
            File.WriteAllText(rb.StatePath(step), node.ToJsonString());
        }
        var (code, output, err) = RunCli(["train", "--resume", b, "--steps", "5"]);
        Assert.True(code == 0, err + output);
        Assert.Equal(File.ReadAllBytes(new RunFolder(a).WeightsPath(5)), File.ReadAllBytes(rb.WeightsPath(5)));
    }
}
