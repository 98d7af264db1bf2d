using GanAudio.Kernels;
using GanAudio.Tensors;

namespace GanAudio.App.Training;

/// <summary>Differentiable augmentation of the discriminator's input (Zhao et al. 2020, DiffAugment; Karras et al. 2020,
/// ADA), applied to real and generated audio alike so the generator learns through it: a random gain per example
/// (uniform in ±<see cref="GainDb"/> dB) and a random time shift per batch (up to 1/8 of the clip, zero-filled).
/// Both are products, pads and slices, so gradients (second order included) flow through them.</summary>
public sealed class WaveAugment
{
    public WaveAugment(bool gain, bool shift, RandomStream rng)
    {
        (Gain, Shift, Rng) = (gain, shift, rng);
    }

    public const double GainDb = 6;

    public bool Gain { get; }

    public bool Shift { get; }

    public RandomStream Rng { get; }

    /// <summary>The <c>--augment</c> list (gain, shift); null or empty = none.</summary>
    public static WaveAugment? From(AugmentKind[]? kinds, RandomStream rng)
    {
        if (kinds is null || kinds.Length == 0) return null;
        return new WaveAugment(kinds.Contains(AugmentKind.Gain), kinds.Contains(AugmentKind.Shift), rng);
    }

    /// <summary>x [B, 1, L] → the augmented batch (same shape). The gains and the shift are drawn on the CPU from a host
    /// stream (no device read); the gains go to the device as one small upload.</summary>
    public Tensor Apply(Tensor x)
    {
        int b = x.Shape[0], len = x.Shape[2];
        if (Gain)
        {
            using var db = Tensor.Rand([b, 1, 1], Rng, -GainDb, GainDb, DType.Float64);
            var g = db.ToDoubleArray().Select(v => Math.Pow(10, v / 20)).ToArray();
            x = x * Tensor.FromArray(g, [b, 1, 1], x.DType, x.Device);
        }
        if (Shift)
        {
            int max = len / 8;
            using var u = Tensor.Rand([1], Rng, 0, 1, DType.Float64);
            int s = Math.Min(max, (int)(u.ToDoubleArray()[0] * (2 * max + 1))) - max;
            if (s > 0) x = x.Pad(2, s, 0).Slice(2, 0, len);
            else if (s < 0) x = x.Pad(2, 0, -s).Slice(2, -s, len);
        }
        return x;
    }
}
