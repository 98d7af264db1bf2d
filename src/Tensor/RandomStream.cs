namespace GanAudio.Tensors;

/// <summary>A seeded stream of counter-based random numbers (Philox4x32-10): each draw takes the next
/// <c>ceil(n/4)·4</c> positions, so results are identical on every device and thread count. Its state (seed, offset)
/// is two numbers and is saved in checkpoints.</summary>
public sealed class RandomStream(ulong seed, ulong offset = 0)
{
    public static RandomStream Default { get; set; } = new(0);

    public ulong Seed { get; private set; } = seed;

    public ulong Offset { get; private set; } = offset;

    /// <summary>Reserves positions for <paramref name="count"/> numbers and returns the first.</summary>
    public ulong Take(long count)
    {
        ulong o = Offset;
        Offset += (ulong)((count + 3) / 4 * 4);
        return o;
    }

    public void Reset(ulong seed, ulong offset = 0)
    {
        Seed = seed;
        Offset = offset;
    }

    public RandomStream Clone() => new(Seed, Offset);
}
