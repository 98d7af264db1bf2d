namespace GanAudio.App.Audio;

/// <summary>
/// The encoder delay and padding (samples) stored by LAME (and FFmpeg's "Lavc"/"Lavf") in the Info/Xing frame:
/// after the Xing fields, a 9-byte encoder string, and at its offset 21 two 12-bit numbers.
/// </summary>
internal readonly record struct LameTag(int Delay, int Padding)
{
    public static LameTag? Read(byte[] frame)
    {
        int x = IndexOf(frame, "Xing"u8);
        if (x < 0) x = IndexOf(frame, "Info"u8);
        if (x < 0 || x + 8 > frame.Length) return null;
        int flags = frame[x + 7];
        int pos = x + 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        if (pos + 24 > frame.Length) return null;
        var enc = frame.AsSpan(pos, 4);
        if (!enc.SequenceEqual("LAME"u8) && !enc.SequenceEqual("Lavc"u8) && !enc.SequenceEqual("Lavf"u8) && !(enc[0] == 'L' && enc[1] == '3')) return null;
        int d = frame[pos + 21] << 4 | frame[pos + 22] >> 4;
        int p = (frame[pos + 22] & 0x0F) << 8 | frame[pos + 23];
        return new LameTag(d, p);
    }

    private static int IndexOf(byte[] b, ReadOnlySpan<byte> what) => b.AsSpan().IndexOf(what);
}
