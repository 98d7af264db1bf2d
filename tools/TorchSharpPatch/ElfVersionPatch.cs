using System.Buffers.Binary;
using System.Text;

namespace GanAudio.Tools;

/// <summary>Marks one symbol-version requirement of an ELF64 little-endian shared library as weak (VER_FLG_WEAK in
/// <c>.gnu.version_r</c>), so the dynamic loader accepts a libstdc++ that lacks that version. TorchSharp 0.107.0's
/// libLibTorchSharp.so needs GLIBCXX_3.4.32 only for a marker symbol it never calls; Debian 12's libstdc++ stops at
/// 3.4.30. Only the copy next to this tool's executable is patched, never the NuGet cache.</summary>
public static class ElfVersionPatch
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Patches every libLibTorchSharp.so under <paramref name="root"/>; returns how many entries changed.</summary>
    public static int PatchAll(string root, string version = "GLIBCXX_3.4.32")
    {
        int changed = 0;
        foreach (var lib in Directory.EnumerateFiles(root, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            int n = MarkWeak(lib, version);
            if (n > 0) Console.WriteLine($"patched {lib}: {version} marked weak");
            changed += n;
        }
        return changed;
    }

    /// <summary>Sets VER_FLG_WEAK on each Vernaux entry named <paramref name="version"/>; returns the number changed
    /// (0 when already weak or absent).</summary>
    public static int MarkWeak(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        var span = elf.AsSpan();
        if (elf.Length < 64 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file");
        if (span[4] != 2 || span[5] != 1) throw new InvalidDataException($"{path}: only ELF64 little-endian is supported");

        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int changed = 0;
        for (int s = 0; s < shnum; s++)
        {
            var sh = span.Slice((int)(shoff + s * shentsize), 64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;
            long secOff = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[44..]);
            var strSh = span.Slice((int)(shoff + link * shentsize), 64);
            long strOff = (long)BinaryPrimitives.ReadUInt64LittleEndian(strSh[24..]);

            long vn = secOff;
            for (int i = 0; i < count; i++)
            {
                // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                int cnt = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(vn + 2)..]);
                uint aux = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(vn + 8)..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(vn + 12)..]);
                long va = vn + aux;
                for (int j = 0; j < cnt; j++)
                {
                    // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    var flags = span[(int)(va + 4)..];
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(va + 8)..]);
                    ushort f = BinaryPrimitives.ReadUInt16LittleEndian(flags);
                    if (CString(span, strOff + name) == version && (f & VerFlgWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(f | VerFlgWeak));
                        changed++;
                    }
                    uint vnext = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(va + 12)..]);
                    if (vnext == 0) break;
                    va += vnext;
                }
                if (next == 0) break;
                vn += next;
            }
        }
        if (changed > 0) File.WriteAllBytes(path, elf);
        return changed;
    }

    private static string CString(ReadOnlySpan<byte> data, long at)
    {
        int start = (int)at, end = start;
        while (data[end] != 0) end++;
        return Encoding.ASCII.GetString(data[start..end]);
    }
}
