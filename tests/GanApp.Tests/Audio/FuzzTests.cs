using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

/// <summary>Seeded corruption of valid files: only <see cref="AudioFormatException"/> may escape, and nothing hangs.</summary>
public class FuzzTests
{
    private static List<(byte[] Bytes, string Name)> Seeds()
    {
        var s = TestAudio.Sine(40, 440, 8000);
        var st = new[] { s, TestAudio.Sine(40, 660, 8000) };
        return
        [
            (TestAudio.Wav(st, 8000, new SampleEncoding(SampleKind.PcmSigned, 16, false)), "a.wav"),
            (TestAudio.Wav([s], 8000, new SampleEncoding(SampleKind.PcmSigned, 24, true)), "b.wav"),
            (TestAudio.Wav(st, 8000, new SampleEncoding(SampleKind.Float, 32, false), true, ("JUNK", new byte[5])), "c.wav"),
            (TestAudio.Wav([s], 8000, new SampleEncoding(SampleKind.MuLaw, 8, false), true), "d.wav"),
            (TestAudio.Wav([s], 8000, new SampleEncoding(SampleKind.PcmUnsigned, 8, false)), "e.wav"),
            (TestAudio.Wav([s], 8000, new SampleEncoding(SampleKind.Float, 64, true)), "f.wav"),
            (TestAudio.Au(st, 8000, new SampleEncoding(SampleKind.PcmSigned, 16, true)), "g.au"),
            (TestAudio.Au([s], 8000, new SampleEncoding(SampleKind.MuLaw, 8, true), 4), "h.au"),
        ];
    }

    private static readonly uint[] Absurd = [0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFF, 0x10000, 3];

    private static byte[] Mutate(byte[] src, Random rng)
    {
        var b = (byte[])src.Clone();
        if (b.Length < 8) return [.. b, (byte)rng.Next(256)];
        switch (rng.Next(6))
        {
            case 0:
                for (int k = rng.Next(1, 9); k > 0; k--) b[rng.Next(b.Length)] = (byte)rng.Next(256);
                return b;
            case 1:
                return b[..rng.Next(b.Length)];
            case 2:
                {
                    int at = rng.Next(Math.Min(b.Length - 4, 64));
                    var w = new TestAudio.Writer(b, rng.Next(2) == 0);
                    if (rng.Next(2) == 0) w.U32(at, Absurd[rng.Next(Absurd.Length)]); else w.U16(at, (int)Absurd[rng.Next(Absurd.Length)]);
                    return b;
                }
            case 3:
                {
                    int at = rng.Next(b.Length), n = rng.Next(1, 16);
                    var ins = new byte[n];
                    rng.NextBytes(ins);
                    return [.. b[..at], .. ins, .. b[at..]];
                }
            case 4:
                {
                    int at = rng.Next(b.Length), n = rng.Next(1, 16);
                    return [.. b[..at], .. b[Math.Min(b.Length, at + n)..]];
                }
            default:
                for (int k = rng.Next(1, 4); k > 0; k--) b[rng.Next(Math.Min(b.Length, 48))] ^= (byte)(1 << rng.Next(8));
                return b;
        }
    }

    [Fact]
    public async Task ThousandsOfCorruptedFilesOnlyThrowTheDocumentedException()
    {
        var seeds = Seeds();
        int ok = 0, rejected = 0;
        var failures = new List<string>();
        var task = Task.Run(() =>
        {
            var rng = new Random(20240601);
            for (int i = 0; i < 8000; i++)
            {
                var (src, name) = seeds[i % seeds.Count];
                var bytes = Mutate(src, rng);
                if (rng.Next(3) == 0) bytes = Mutate(bytes, rng);
                try
                {
                    var audio = AudioFile.Decode(bytes, name);
                    Assert.True(audio.Frames > 0 && audio.SampleRate > 0 && audio.ChannelCount > 0);
                    ok++;
                }
                catch (AudioFormatException e)
                {
                    if (e.Message.Contains('\n')) failures.Add($"variant {i}: multi-line message");
                    rejected++;
                }
                catch (Exception e)
                {
                    failures.Add($"variant {i} of {name}: {e.GetType().Name}: {e.Message}");
                }
            }
        });
        Assert.True(await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(3))) == task, "fuzzing hung");
        await task;
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.True(ok > 100 && rejected > 100, $"ok {ok}, rejected {rejected}");
    }
}
