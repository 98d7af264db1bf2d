using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;
using GanAudio.Tensors;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary>Trains a tiny WaveGAN on the CUDA backend (the real driver when one is installed, else the CPU simulator of
/// tests/CudaSim) and compares it with the same run on the CPU: the CUDA Philox stream matches the CPU's, so with one seed
/// both runs see the same weights, latents and penalty points, and the losses agree to float32 rounding.</summary>
[Collection("cli")]
public class CudaTrainingTests(ITestOutputHelper log)
{
    /// <summary>Skips with the reason when CUDA cannot run here (the same rule as the Tensor and Nn device rows).</summary>
    private static void RequireCuda() => GanAudio.Tests.Shared.DeviceRows.Get("cuda");

    private static TrainConfig Tiny(string device, bool upsample) => DemoConfig.Waveform with
    {
        Device = Device.Parse(device), ModelSize = 1, Batch = 2, DSteps = 1, Steps = 1, SampleCount = 1, Threads = 1, SampleEvery = 0,
        CheckpointEvery = 0, Upsample = upsample, Seed = 3, Precision = PrecisionKind.Fp32,  // compared at fp32 rounding: no TF32
    };

    private static StepReport OneStep(TrainConfig cfg)
    {
        var data = DataFactory.Create(cfg, TextWriter.Null);
        using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
        var want = cfg.Device;
        Assert.All(t.G.NamedParameters().Concat(t.D.NamedParameters()), p => Assert.Equal(want, p.Item2.Device));
        t.TrainIteration();
        return Assert.Single(t.ReadLosses());
    }

    private void AssertClose(double cpu, double cuda, string what)
    {
        log.WriteLine($"{what}: cpu {cpu:R}, cuda {cuda:R}");
        Assert.True(double.IsFinite(cuda), $"{what}: {cuda} on cuda");
        double tol = 1e-3 * Math.Max(Math.Abs(cpu), Math.Abs(cuda)) + 1e-5;
        Assert.True(Math.Abs(cpu - cuda) <= tol, $"{what}: cpu {cpu:R}, cuda {cuda:R} (|Δ| = {Math.Abs(cpu - cuda):E3} > {tol:E3})");
    }

    /// <summary>One WGAN-GP iteration (critic step with gradient penalty, generator step) on both devices, with the
    /// upsample + conv generator and with the transposed-conv generator.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FirstStepLossesMatchTheCpu(bool upsample)
    {
        RequireCuda();
        var cpu = OneStep(Tiny("cpu", upsample));
        var cuda = OneStep(Tiny("cuda", upsample));
        AssertClose(cpu.DLoss, cuda.DLoss, "critic loss");
        AssertClose(cpu.GLoss, cuda.GLoss, "generator loss");
        AssertClose(cpu.Gp, cuda.Gp, "gradient penalty");
        AssertClose(cpu.Wasserstein, cuda.Wasserstein, "Wasserstein estimate");
    }

    /// <summary>The frame-rate generators (real/imaginary and magnitude/instantaneous frequency through the inverse STFT:
    /// exp, the running phase sum, cos and sin on the device) take the demo's first iteration with the CPU's losses.</summary>
    [Theory]
    [InlineData("stft")]
    [InlineData("stft-if")]
    public void FrameRateGeneratorsFirstStepMatchesTheCpu(string output)
    {
        RequireCuda();
        TrainConfig Cfg(string device) => Tiny(device, true) with { GeneratorOutput = Choice.Parse<GeneratorOutputKind>("--generator-output", output) };
        var cpu = OneStep(Cfg("cpu"));
        var cuda = OneStep(Cfg("cuda"));
        AssertClose(cpu.DLoss, cuda.DLoss, "critic loss");
        AssertClose(cpu.GLoss, cuda.GLoss, "generator loss");
        AssertClose(cpu.Gp, cuda.Gp, "gradient penalty");
    }

    /// <summary>The source study's model families (fully connected and convolutional, with their own losses and batch
    /// norm) take their first iteration on both devices with the same losses to float32 rounding.</summary>
    [Theory]
    [InlineData("study-mlp", "bce", false)]
    [InlineData("study-conv", "wgan-gp", true)]
    [InlineData("study-conv", "hinge", false)]
    public void StudyModelsFirstStepMatchesTheCpu(string model, string loss, bool batchNorm)
    {
        RequireCuda();
        TrainConfig Study(string device) => DemoConfig.Waveform with
        {
            Device = Device.Parse(device), Model = Choice.Parse<ModelKind>("--model", model), Loss = Choice.Parse<LossKind>("--loss", loss),
            BatchNorm = batchNorm, Length = 1024, HiddenUnits = 16, ConvLayers = 2,
            Channels = 4, Batch = 2, DSteps = 1, Steps = 1, SampleCount = 1, Threads = 1, SampleEvery = 0, CheckpointEvery = 0, Seed = 5, Precision = PrecisionKind.Fp32,
        };
        var cpu = OneStep(Study("cpu"));
        var cuda = OneStep(Study("cuda"));
        AssertClose(cpu.DLoss, cuda.DLoss, "discriminator loss");
        AssertClose(cpu.GLoss, cuda.GLoss, "generator loss");
        if (loss == "wgan-gp") AssertClose(cpu.Gp, cuda.Gp, "gradient penalty");
    }

    /// <summary>The CPU recipe's first iterations (hinge, R1 at step 0, spectrogram critics, weight average, conditional) on
    /// both devices: the same losses and penalty to float32 rounding.</summary>
    [Fact]
    public void RecipeFirstStepsMatchTheCpu()
    {
        RequireCuda();
        TrainConfig Recipe(string device) => Presets.Apply(Presets.Cpu, DemoConfig.Waveform) with
        {
            Device = Device.Parse(device), ModelSize = 1, Batch = 2, Steps = 2, SampleCount = 1, Threads = 1, SampleEvery = 0, CheckpointEvery = 0,
            Seed = 4, StftDiscriminators = [64, 32], Conditional = true, Precision = PrecisionKind.Fp32,
        };
        StepReport Run(TrainConfig cfg)
        {
            var data = DataFactory.Create(cfg, TextWriter.Null);
            using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
            t.TrainIteration();
            t.TrainIteration();
            var read = t.ReadLosses();
            Assert.Equal(2, read.Count);
            var first = read[0];
            Assert.True(first.Gp > 0, "R1 is applied at the first critic step");
            return first;
        }
        var cpu = Run(Recipe("cpu"));
        var cuda = Run(Recipe("cuda"));
        AssertClose(cpu.DLoss, cuda.DLoss, "critic loss");
        AssertClose(cpu.GLoss, cuda.GLoss, "generator loss");
        AssertClose(cpu.Gp, cuda.Gp, "R1 penalty");
    }

    /// <summary><c>GanApp train --device cuda</c> runs end to end: training steps, a checkpoint and samples.</summary>
    [Fact]
    public void TrainCommandRunsOnCuda()
    {
        RequireCuda();
        var run = Path.Combine(TempDir(), "run");
        var (code, output, err) = RunCli(["train", "--device", "cuda", "--out", run, "--steps", "2", "--checkpoint-every", "2",
            "--sample-every", "2", "--model-size", "1", "--batch", "2", "--d-steps", "1", "--sample-count", "1", "--log-every", "1",
            "--threads", "1"]);
        Assert.True(code == 0, err + output);
        var rf = new RunFolder(run);
        Assert.Equal(2, rf.LatestStep());
        Assert.Single(Directory.GetFiles(rf.SampleDir(2), "*.wav"));
    }
}
