using GanAudio.App.Models;
using GanAudio.App.Training;
using GanAudio.Kernels;
using GanAudio.Tensors;
using static GanApp.Tests.Training.TrainingHarness;

namespace GanApp.Tests.Training;

/// <summary>The CPU recipe's pieces: the spectrogram discriminator's gradients, the multi-discriminator, the generator's
/// weight average, the augmentation, presets, and exact resume with all of them on.</summary>
[Collection("cli")]
public class RecipeTests
{
    /// <summary>Central differences in float64 of Σ D(x)·w w.r.t. a seeded sample of x's and every parameter's elements.</summary>
    private static void CheckGradients(DiscriminatorModule d, Tensor x, int[]? labels) =>
        CheckGradients(d, x, () => d.Score(x, labels));

    /// <summary>The same for Σ G(z)·w (z and every parameter).</summary>
    private static void CheckGeneratorGradients(GeneratorModule g, Tensor z, int[]? labels)
    {
        using var w = Tensor.Randn([z.Shape[0], 1, g.OutputLength], new RandomStream(11), 0, 1, DType.Float64);
        CheckGradients(g, z, () => (g.Generate(z, labels) * w).Sum());
    }

    private static void CheckGradients(GanAudio.Nn.Module m, Tensor x, Func<Tensor> output)
    {
        double F() => output().Sum().Item();
        x.RequireGrad();
        var wrt = new List<(string, Tensor)> { ("x", x) };
        wrt.AddRange(m.NamedParameters());
        foreach (var (_, t) in wrt) t.Grad = null;
        using (TensorScope.Begin()) output().Sum().Backward();
        var rnd = new Random(3);
        const double h = 1e-6;
        foreach (var (name, t) in wrt)
        {
            var g = t.Grad?.ToDoubleArray() ?? new double[t.Numel];
            for (int n = 0; n < Math.Min(12, t.Numel); n++)
            {
                int i = rnd.Next(t.Numel);
                var v = t.ToDoubleArray();
                double orig = v[i];
                double Eval(double value)
                {
                    v[i] = value;
                    using var scope = TensorScope.Begin();
                    using var _ = GanAudio.Tensors.Autograd.GradMode.NoGrad();
                    t.CopyFrom(Tensor.FromArray(v, t.Shape, DType.Float64));
                    return F();
                }
                double num = (Eval(orig + h) - Eval(orig - h)) / (2 * h);
                Eval(orig);
                Assert.True(Math.Abs(num - g[i]) <= 1e-5 + 1e-4 * Math.Abs(num), $"{name}[{i}]: autograd {g[i]:R}, central difference {num:R}");
            }
        }
    }

    [Fact]
    public void StftDiscriminatorGradients()
    {
        using var d = new StftDiscriminator(16, 3, 2, new RandomStream(1), DType.Float64);
        using var x = Tensor.Randn([2, 1, 64], new RandomStream(2), 0, 0.5, DType.Float64);
        CheckGradients(d, x, [0, 1]);
    }

    /// <summary>The frame-rate generator: the length asked for, bounded, conditional, and float64 gradients of its
    /// parameters by central differences (through the inverse STFT's transposed convolution).</summary>
    [Fact]
    public void StftGeneratorShapesAndGradients()
    {
        using var scope = TensorScope.Begin();
        using var g = new StftGenerator(1, 3, 2048, 2, 2, new RandomStream(3), DType.Float64);
        using var z = Tensor.Rand([2, 3], new RandomStream(4), -1, 1, DType.Float64);
        var y = g.Generate(z, [0, 1]);
        Assert.Equal(new[] { 2, 1, 2048 }, y.Shape);
        Assert.All(y.ToDoubleArray(), v => Assert.InRange(v, -1, 1));
        var other = g.Generate(z, [1, 1]).ToDoubleArray();
        Assert.NotEqual(y.ToDoubleArray()[..2048], other[..2048]);
        Assert.Throws<ArgumentException>(() => new StftGenerator(1, 3, 3000, 0));
        Assert.Throws<ArgumentException>(() => new StftGenerator(1, 3, 2048, 0, fft: 1000));
        CheckGeneratorGradients(g, z, [0, 1]);
    }

    /// <summary><c>stft-if</c>: the same shapes and bounds, float64 gradients through exp, the running phase sum and
    /// cos/sin; and the representation itself: a bin with u = 0 turns by exactly its centre frequency's phase advance
    /// per hop, tanh u = ½ adds a quarter turn per hop, and the magnitude is exp(centre + range·tanh a).</summary>
    [Theory]
    [InlineData(512, 2048)]
    [InlineData(1024, 4096)]   // --generator-fft 1024: 513 bins, hop 256
    public void StftIfGeneratorKeepsPhaseCoherentAndHasGradients(int fft, int length)
    {
        using var scope = TensorScope.Begin();
        using var g = new StftGenerator(1, 3, length, 2, 2, new RandomStream(3), DType.Float64, instantaneousFrequency: true, fft: fft);
        Assert.True(g.InstantaneousFrequency);
        Assert.Equal((fft, fft / 4, fft / 2 + 1, length / (fft / 4)), (g.Fft, g.Hop, g.Bins, g.Frames));
        using var z = Tensor.Rand([2, 3], new RandomStream(4), -1, 1, DType.Float64);
        var y = g.Generate(z, [0, 1]);
        Assert.Equal(new[] { 2, 1, length }, y.Shape);
        Assert.All(y.ToDoubleArray(), v => Assert.InRange(v, -1, 1));
        Assert.NotEqual(y.ToDoubleArray()[..length], g.Generate(z, [1, 1]).ToDoubleArray()[..length]);
        CheckGeneratorGradients(g, z, [0, 1]);

        int bins = g.Bins, frames = g.Frames;
        var x = new double[2 * bins * frames];
        const double a = 0.3;
        for (int t = 0; t < frames; t++)
        {
            x[5 * frames + t] = a;                          // bin 5: magnitude exp(centre + range·tanh 0.3), u = 0
            x[7 * frames + t] = a;                          // bin 7: the same magnitude, tanh u = ½: a quarter turn more per hop
            x[(bins + 7) * frames + t] = Math.Atanh(0.5);
        }
        var spectra = g.FromMagnitudeAndFrequency(Tensor.FromArray(x, [1, 2 * bins, frames], DType.Float64)).ToDoubleArray();
        double magnitude = Math.Exp(StftGenerator.LogMagnitudeCentre + StftGenerator.LogMagnitudeRange * Math.Tanh(a));
        foreach (var (bin, extra) in new[] { (5, 0.0), (7, Math.PI / 2) })
        {
            double advance = 2 * Math.PI * bin * g.Hop / g.Fft + extra;
            for (int t = 0; t < frames; t++)
            {
                double re = spectra[bin * frames + t], im = spectra[(bins + bin) * frames + t];
                Assert.Equal(magnitude, Math.Sqrt(re * re + im * im), 9);
                double expected = advance * (t + 1);
                Assert.Equal(Math.Cos(expected), re / magnitude, 9);
                Assert.Equal(Math.Sin(expected), im / magnitude, 9);
            }
        }
        Assert.Throws<InvalidOperationException>(() => new StftGenerator(1, 3, 2048, 0).FromMagnitudeAndFrequency(Tensor.Zeros([1, 2 * bins, frames])));
    }

    [Fact]
    public void MultiDiscriminatorScoresEachPartAndSumsThem()
    {
        using var scope = TensorScope.Begin();
        var o = new WaveGanOptions { ModelSize = 1, Length = 16384, PhaseShuffle = 0 };
        using var d = new MultiDiscriminator([("wave", new WaveGanDiscriminator(o, new RandomStream(3))),
            ("stft64", new StftDiscriminator(64, 4, 0, new RandomStream(4)))]);
        var x = Tensor.Randn([2, 1, 16384], new RandomStream(5), 0, 0.3);
        var scores = d.Scores(x, null);
        Assert.Equal(2, scores.Count);
        Assert.Contains(d.NamedParameters(), p => p.Name.StartsWith("stft64.conv1", StringComparison.Ordinal));
        var sum = scores[0].ToDoubleArray().Zip(scores[1].ToDoubleArray(), (a, b) => a + b).ToArray();
        Assert.All(sum.Zip(d.Score(x, null).ToDoubleArray()), p => Assert.Equal(p.First, p.Second, 5));
        Assert.NotEqual(scores[0].ToDoubleArray(), scores[1].ToDoubleArray());
    }

    [Fact]
    public void WeightAverageFollowsItsFormula()
    {
        using var scope = TensorScope.Begin();
        var o = new WaveGanOptions { ModelSize = 1, Length = 16384 };
        using var g = new WaveGanGenerator(o, new RandomStream(6));
        using var ema = new GeneratorEma(g, new WaveGanGenerator(o, new RandomStream(7)), 100);
        var p = g.NamedParameters().First().Value;
        var e = ema.Model.NamedParameters().First().Value;
        Assert.Equal(p.ToDoubleArray(), e.ToDoubleArray());   // starts as a copy
        // the ramp-up caps the half-life at 5 % of the examples seen: 1000 examples → 50, then the full 100
        Assert.Equal(Math.Pow(0.5, 10 / 50.0), ema.Beta(1000, 10), 12);
        Assert.Equal(Math.Pow(0.5, 10 / 100.0), ema.Beta(100000, 10), 12);
        Assert.Equal(0, ema.Beta(0, 10));
        var before = e.ToDoubleArray();
        using (GanAudio.Tensors.Autograd.GradMode.NoGrad()) p.CopyFrom(p * 3.0 + 1.0);
        var theta = p.ToDoubleArray();
        double beta = ema.Beta(100000, 10);
        ema.Update(100000, 10);
        var after = e.ToDoubleArray();
        for (int i = 0; i < after.Length; i++)
            Assert.True(Math.Abs(beta * before[i] + (1 - beta) * theta[i] - after[i]) <= 1e-6 * (1 + Math.Abs(after[i])), $"[{i}]");
        Assert.All(ema.Model.Parameters(), t => Assert.False(t.RequiresGrad));
    }

    [Fact]
    public void WeightAverageWithoutRampUpUsesTheFullHalfLifeFromTheStart()
    {
        using var scope = TensorScope.Begin();
        var o = new WaveGanOptions { ModelSize = 1, Length = 16384 };
        using var g = new WaveGanGenerator(o, new RandomStream(6));
        using var ema = new GeneratorEma(g, new WaveGanGenerator(o, new RandomStream(7)), 100, rampUp: 0);
        Assert.Equal(Math.Pow(0.5, 10 / 100.0), ema.Beta(0, 10), 12);
        Assert.Equal(Math.Pow(0.5, 10 / 100.0), ema.Beta(1000, 10), 12);
        using var ramped = new GeneratorEma(g, new WaveGanGenerator(o, new RandomStream(7)), 100, rampUp: 0.01);
        Assert.Equal(Math.Pow(0.5, 10 / 10.0), ramped.Beta(1000, 10), 12);
    }

    [Fact]
    public void AugmentationKeepsShapeBoundsGainAndPassesGradients()
    {
        using var scope = TensorScope.Begin();
        var aug = new WaveAugment(gain: true, shift: true, new RandomStream(8));
        var x = Tensor.Ones([4, 1, 64], DType.Float64).RequireGrad();
        var y = aug.Apply(x);
        Assert.Equal(x.Shape, y.Shape);
        var v = y.ToDoubleArray();
        double lo = Math.Pow(10, -WaveAugment.GainDb / 20), hi = Math.Pow(10, WaveAugment.GainDb / 20);
        for (int b = 0; b < 4; b++)
        {
            var row = v.Skip(b * 64).Take(64).ToArray();
            double gain = row.Max();
            Assert.InRange(gain, lo, hi);
            Assert.All(row, s => Assert.True(s == 0 || Math.Abs(s - gain) < 1e-12));  // a gain, and zeros shifted in
            Assert.True(row.Count(s => s == 0) <= 8);                                   // at most 1/8 of the clip
        }
        y.Sum().Backward();
        Assert.Contains(x.Grad!.ToDoubleArray(), g => g > 0);
        // the same stream gives the same augmentation
        var again = new WaveAugment(true, true, new RandomStream(8)).Apply(Tensor.Ones([4, 1, 64], DType.Float64));
        Assert.Equal(v, again.ToDoubleArray());
    }

    [Fact]
    public void PresetsAndTheirDefaults()
    {
        Assert.Equal(Presets.Cpu, Presets.Default(Device.Cpu, ModelKind.WaveGan));
        Assert.Equal(Presets.WaveGan, Presets.Default(Device.Cuda(), ModelKind.WaveGan));
        Assert.Equal(Presets.WaveGan, Presets.Default(Device.Cpu, ModelKind.StudyConv));
        var paper = Presets.Apply(Presets.WaveGan, new TrainConfig());
        Assert.Equal(new TrainConfig() with { Preset = PresetKind.WaveGan }, paper);
        Assert.Equal(64, paper.ModelSize);
        Assert.Equal(LossKind.WganGp, paper.Loss);
        var cpu = Presets.Apply(Presets.Cpu, new TrainConfig());
        cpu.Validate();
        Assert.Equal(LossKind.Hinge, cpu.Loss);
        Assert.Equal(GeneratorOutputKind.StftIf, cpu.GeneratorOutput);
        Assert.Equal([AugmentKind.Gain, AugmentKind.Shift], cpu.Augment!);
    }

    [Fact]
    public void TrainOnTheCpuUsesTheCpuPresetSaysSoAndOptionsOverrideIt()
    {
        var data = Path.Combine(TempDir(), "tones");
        Assert.Equal(0, RunCli(["data", "synth", "--kind", "tones", "--out", data, "--count", "2"]).Code);
        var run = Path.Combine(TempDir(), "run");
        var (code, output, err) = RunCli(["train", data, "--out", run, "--steps", "1", "--model-size", "2", "--batch", "2", "--sample-count", "1",
            "--threads", "1", "--stft-discriminators", "64"]);
        Assert.True(code == 0, err + output);
        Assert.Contains("preset cpu (the default on --device cpu)", output);
        Assert.Contains("--preset wavegan", output);
        var cfg = TrainConfig.FromJson(File.ReadAllText(new RunFolder(run).ConfigPath), "config.json");
        Assert.Equal(PresetKind.Cpu, cfg.Preset);
        Assert.Equal(2, cfg.ModelSize);                 // the option wins
        Assert.Equal([64], cfg.StftDiscriminators!);
        Assert.Equal(LossKind.Hinge, cfg.Loss);                // the preset's
        Assert.Equal(2000, cfg.EmaHalfLife);
        Assert.Equal(GeneratorOutputKind.StftIf, cfg.GeneratorOutput);
        var run2 = Path.Combine(TempDir(), "run");
        (code, output, err) = RunCli(["train", data, "--out", run2, "--preset", "wavegan", "--steps", "1", "--model-size", "1", "--batch", "2",
            "--d-steps", "1", "--sample-count", "1", "--threads", "1"]);
        Assert.True(code == 0, err + output);
        var paper = TrainConfig.FromJson(File.ReadAllText(new RunFolder(run2).ConfigPath), "config.json");
        Assert.Equal(PresetKind.WaveGan, paper.Preset);
        Assert.Equal(LossKind.WganGp, paper.Loss);
        Assert.Null(paper.StftDiscriminators);
        Assert.Equal(GeneratorOutputKind.Wave, paper.GeneratorOutput);
    }

    [Fact]
    public void MinutesBoundsTheRunByTime()
    {
        var run = Path.Combine(TempDir(), "run");
        var (code, output, err) = RunCli(["train", "--out", run, "--minutes", "0.2", "--model-size", "1", "--batch", "2", "--sample-count", "1",
            "--threads", "1", "--stft-discriminators", "64", "--log-every", "1"]);
        Assert.True(code == 0, err + output);
        Assert.Contains("training for 0.2 minutes", output);
        Assert.Contains("ETA", output);
        var rf = new RunFolder(run);
        Assert.NotNull(rf.LatestStep());                // the end of the budget writes a checkpoint
        Assert.Equal(TrainingBudget.Unbounded, TrainConfig.FromJson(File.ReadAllText(rf.ConfigPath), "config.json").Steps);
    }

    /// <summary>2N steps in one go and N + resume + N give the same bytes with every recipe option on (weight average,
    /// R1, spectrogram discriminator, augmentation), with WaveGAN's generator and with the magnitude/IF one.</summary>
    [Theory]
    [InlineData("wave", 512)]
    [InlineData("stft-if", 512)]
    [InlineData("stft-if", 1024)]
    public void ResumeIsExactWithTheRecipe(string generatorOutput, int fft)
    {
        var ra = AssertResumeIsExact(["--seed", "5", "--stft-discriminators", "64,32", "--r1-every", "2", "--ema-rampup", "0.2",
            "--augment", "gain,shift", "--generator-output", generatorOutput, "--generator-fft", fft.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var (tensors, _) = GanAudio.Nn.Checkpoints.Safetensors.Load(ra.WeightsPath(6));
        Assert.Contains(tensors.Keys, k => k.StartsWith(GeneratorEma.Prefix, StringComparison.Ordinal));
        Assert.Contains(tensors.Keys, k => k.StartsWith("discriminator.stft32.", StringComparison.Ordinal));
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>The lazy gradient penalty (<c>--gp-every 2</c>) with 3 critic steps per iteration and the waveform critic,
    /// so the resumed run (9 critic updates done) must pick up the penalty's schedule in mid-iteration: 2N steps in one go
    /// and N + resume + N give the same bytes.</summary>
    [Fact]
    public void ResumeIsExactWithTheLazyGradientPenalty() =>
        AssertResumeIsExact(["--seed", "6", "--loss", "wgan-gp", "--gp-every", "2", "--d-steps", "3", "--wave-discriminator",
            "--stft-discriminators", "", "--generator-output", "stft-if", "--generator-fft", "1024"]);

    /// <summary><c>--d-model-size</c> sizes WaveGAN's critic apart from the generator (0 = the same d), and a run with it
    /// resumes to the same bytes.</summary>
    [Fact]
    public void TheCriticHasItsOwnModelSize()
    {
        var cfg = DemoConfig.Defaults with { ModelSize = 2, DModelSize = 3, StftDiscriminators = null };
        var (g, d) = ModelFactory.Create(cfg, 8, new RandomStream(1), new RandomStream(2), Device.Cpu);
        using (g)
        using (d)
        {
            var shapes = d.NamedParameters().Where(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Select(p => p.Value.Shape[0]).ToList();
            Assert.Equal([3, 6, 12, 24, 48, 1], shapes.Take(6));   // conv1 … conv5 at d = 3, then the score
            var (g2, same) = ModelFactory.Create(cfg with { DModelSize = 0 }, 8, new RandomStream(1), new RandomStream(2), Device.Cpu);
            using (g2)
            using (same)
                Assert.Equal(2, same.NamedParameters().First(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Value.Shape[0]);
        }
        AssertResumeIsExact(["--seed", "7", "--d-model-size", "3", "--stft-discriminators", "", "--generator-output", "stft-if",
            "--generator-fft", "1024"]);
    }

    /// <summary>Trains 6 steps in one go (run a) and 3 + resume + 3 (run b) with a tiny conditional model, weight average
    /// on, and <paramref name="options"/>; asserts the step-6 weights are the same bytes and returns run a.</summary>
    private static RunFolder AssertResumeIsExact(string[] options)
    {
        var dir = TempDir();
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        string[] common = ["--model-size", "2", "--batch", "3", "--sample-count", "1", "--log-every", "1", "--checkpoint-every", "2",
            "--sample-every", "0", "--threads", "1", "--ema-half-life", "10", "--conditional", .. options];
        Assert.Equal(0, RunCli(["train", "--out", a, "--steps", "6", .. common]).Code);
        Assert.Equal(0, RunCli(["train", "--out", b, "--steps", "3", .. common]).Code);
        var (code, output, err) = RunCli(["train", "--resume", b, "--steps", "6"]);
        Assert.True(code == 0, err + output);
        var ra = new RunFolder(a);
        Assert.Equal(File.ReadAllBytes(ra.WeightsPath(6)), File.ReadAllBytes(new RunFolder(b).WeightsPath(6)));
        return ra;
    }

    /// <summary>Bad --generator-fft / --ema-rampup values are one line naming the option, exit code 2; the demo's
    /// magnitude/frequency generator is WaveGAN's, so a study model on the demo gets the waveform recipe.</summary>
    [Theory]
    [InlineData("--generator-fft", "1000")]
    [InlineData("--generator-fft", "8192")]
    [InlineData("--ema-rampup", "-0.1")]
    [InlineData("--gp-every", "0")]
    [InlineData("--d-model-size", "-1")]
    public void BadRecipeValuesAreOneLine(string option, string value)
    {
        var (code, output, err) = RunCli(["train", "--out", Path.Combine(TempDir(), "r"), "--steps", "1", option, value]);
        Assert.Equal(2, code);
        Assert.Contains(option, err + output);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void TheDemoConfigFitsTheModel()
    {
        Assert.Equal((GeneratorOutputKind.StftIf, 1024), (DemoConfig.For(ModelKind.WaveGan).GeneratorOutput, DemoConfig.For(ModelKind.WaveGan).GeneratorFft));
        DemoConfig.For(ModelKind.WaveGan).Validate();
        foreach (var study in new[] { ModelKind.StudyMlp, ModelKind.StudyConv })
            (DemoConfig.For(study) with { Model = study }).Validate();   // would throw with the stft-if generator
    }

    /// <summary>The label reaches the generator and both discriminators: same z, different labels, different audio and
    /// scores.</summary>
    [Fact]
    public void LabelsChangeWhatGAndDCompute()
    {
        var cfg = DemoConfig.Defaults with { Conditional = true, ModelSize = 2, Batch = 2, StftDiscriminators = [64], Threads = 1, Seed = 2 };
        var data = DataFactory.Create(cfg, TextWriter.Null);
        using var t = new Trainer(cfg, data, new RunFolder(TempDir()));
        using var scope = TensorScope.Begin();
        var z = Tensor.Rand([2, cfg.Latent], new RandomStream(9), -1, 1);
        var zz = Tensor.Cat([z.Slice(0, 0, 1), z.Slice(0, 0, 1)], 0);
        var audio = t.G.Generate(zz, [0, 3]).ToFloatArray();
        int len = cfg.Length;
        double diff = 0;
        for (int i = 0; i < len; i++) diff += Math.Abs(audio[i] - audio[len + i]);
        Assert.True(diff / len > 1e-4, $"G ignores the label: mean |Δ| {diff / len:E2}");
        var x = Tensor.Cat([Tensor.FromArray(audio.AsSpan(0, len).ToArray(), [1, 1, len]), Tensor.FromArray(audio.AsSpan(0, len).ToArray(), [1, 1, len])], 0);
        var scores = t.D.Scores(x, [0, 3]);
        Assert.Equal(2, scores.Count);
        Assert.All(scores, s =>
        {
            var v = s.ToDoubleArray();
            Assert.True(Math.Abs(v[0] - v[1]) > 1e-6, $"a discriminator ignores the label: {v[0]:R} vs {v[1]:R}");
        });
    }
}
