using System.Buffers.Binary;
using System.Text;

namespace GanAudio.TorchBench;

/// <summary>Marks a symbol-version requirement of an ELF64 little-endian shared object weak (VER_FLG_WEAK in the matching
/// Vernaux entry of <c>.gnu.version_r</c>), so the dynamic loader accepts an older libstdc++ that lacks that version.
/// TorchSharp 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32 for a marker symbol only; Debian 12 has up to 3.4.30.
/// Only the copy in this tool's output folder is patched.</summary>
public static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Returns how many Vernaux entries were changed (0 when already weak or absent).</summary>
    public static int MarkWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var s = bytes.AsSpan();
        if (s.Length < 64 || s[0] != 0x7f || s[1] != (byte)'E' || s[2] != (byte)'L' || s[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file");
        if (s[4] != 2 || s[5] != 1) throw new InvalidDataException($"{path}: only ELF64 little-endian is supported");
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(s[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3C..]);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            var sh = s.Slice((int)(shoff + (long)i * shentsize), shentsize);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]);
            if (type != ShtGnuVerneed) continue;
            long off = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]); // sh_info = number of Verneed entries
            var strSh = s.Slice((int)(shoff + (long)link * shentsize), shentsize);
            long strOff = (long)BinaryPrimitives.ReadUInt64LittleEndian(strSh[0x18..]);
            long vn = off;
            for (uint n = 0; n < count; n++)
            {
                int cnt = BinaryPrimitives.ReadUInt16LittleEndian(s[(int)(vn + 2)..]);
                uint aux = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(vn + 8)..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(vn + 12)..]);
                long va = vn + aux;
                for (int a = 0; a < cnt; a++)
                {
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(s[(int)(va + 4)..]);
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(va + 8)..]);
                    uint vnext = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(va + 12)..]);
                    if (ReadString(s, strOff + name) == version && (flags & VerFlgWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(s[(int)(va + 4)..], (ushort)(flags | VerFlgWeak));
                        changed++;
                    }
                    if (vnext == 0) break;
                    va += vnext;
                }
                if (next == 0) break;
                vn += next;
            }
        }
        if (changed > 0)
        {
            string tmp = path + ".tmp";
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        return changed;
    }

    private static string ReadString(ReadOnlySpan<byte> s, long at)
    {
        int end = (int)at;
        while (s[end] != 0) end++;
        return Encoding.ASCII.GetString(s[(int)at..end]);
    }
}
