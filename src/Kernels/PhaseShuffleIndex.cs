namespace GanAudio.Kernels;

/// <summary>The index map of phase shuffle shared by every backend and the reference: refl(j) = −j for j &lt; 0,
/// 2(length − 1) − j for j ≥ length, else j (one reflection, enough because |shift| &lt; length), and the argument checks.</summary>
public static class PhaseShuffleIndex
{
    /// <summary>Source index of output sample t under shift s: refl(t − s).</summary>
    public static int Source(int t, int shift, int length)
    {
        int j = t - shift;
        return j < 0 ? -j : j >= length ? 2 * (length - 1) - j : j;
    }

    /// <summary>Throws unless there is one shift per example, each |s| &lt; length, and both buffers hold
    /// batch·channels·length elements of one dtype.</summary>
    public static void Check(string op, DeviceBuffer a, DeviceBuffer b, ReadOnlySpan<int> shifts, int batch, int channels, int length)
    {
        if (batch < 0 || channels < 0 || length < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"{op}: negative size [{batch}, {channels}, {length}]");
        if (shifts.Length != batch) throw new ArgumentException($"{op}: {shifts.Length} shifts for a batch of {batch}");
        foreach (int s in shifts)
            if (s != 0 && Math.Abs((long)s) >= length)
                throw new ArgumentOutOfRangeException(nameof(shifts), s, $"{op}: shift {s} needs a length above {Math.Abs((long)s)} (length {length})");
        long n = (long)batch * channels * length;
        if (a.Length < n || b.Length < n) throw new ArgumentException($"{op}: buffers of {a.Length} and {b.Length} elements for [{batch}, {channels}, {length}]");
        if (a.DType != b.DType) throw new ArgumentException($"{op}: dtypes differ ({a.DType}, {b.DType})");
    }
}
