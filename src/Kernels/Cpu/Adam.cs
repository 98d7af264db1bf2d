using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer? vMax, int count, in AdamArgs a)
    {
        var p = Cpu(param);
        var args = a;
        if (p.DType == DType.Float32)
        {
            float[] pf = p.F32, gf = Cpu(grad).F32, mf = Cpu(m).F32, vf = Cpu(v).F32;
            float[]? xf = vMax is null ? null : Cpu(vMax).F32;
            CpuParallel.ForChunks(count, ElementChunk, (s, e) => AdamRun(pf, gf, mf, vf, xf, (int)s, (int)e, args));
        }
        else if (p.DType == DType.Float64)
        {
            double[] pd = p.F64, gd = Cpu(grad).F64, md = Cpu(m).F64, vd = Cpu(v).F64;
            double[]? xd = vMax is null ? null : Cpu(vMax).F64;
            CpuParallel.ForChunks(count, ElementChunk, (s, e) => AdamRun(pd, gd, md, vd, xd, (int)s, (int)e, args));
        }
        else throw DTypeExtensions.Unsupported(p.DType, "adam step");
    }

    /// <summary>The Adam update over [start, end): Vector512 blocks where accelerated, then a scalar tail; arithmetic in T
    /// in the same order as the scalar formula, so the vector and scalar paths agree.</summary>
    private static void AdamRun<T>(T[] p, T[] g, T[] m, T[] v, T[]? vMax, int start, int end, AdamArgs a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T wd = T.CreateTruncating(a.WeightDecay), b1c = T.CreateTruncating(1 - a.Beta1), b2 = T.CreateTruncating(a.Beta2),
            b2c = T.CreateTruncating(1 - a.Beta2), step = T.CreateTruncating(a.StepSize), bc2 = T.CreateTruncating(a.Bc2Sqrt),
            eps = T.CreateTruncating(a.Eps);
        ref T pr = ref MemoryMarshal.GetArrayDataReference(p);
        ref T gr = ref MemoryMarshal.GetArrayDataReference(g);
        ref T mr = ref MemoryMarshal.GetArrayDataReference(m);
        ref T vr = ref MemoryMarshal.GetArrayDataReference(v);
        int i = start;
        if (Vector512.IsHardwareAccelerated)
        {
            var vwd = Vector512.Create(wd);
            var vb1c = Vector512.Create(b1c);
            var vb2 = Vector512.Create(b2);
            var vb2c = Vector512.Create(b2c);
            var vstep = Vector512.Create(step);
            var vbc2 = Vector512.Create(bc2);
            var veps = Vector512.Create(eps);
            for (; i <= end - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                nuint at = (nuint)i;
                var pv = Vector512.LoadUnsafe(ref pr, at);
                var gv = Vector512.LoadUnsafe(ref gr, at) + vwd * pv;
                var mv = Vector512.LoadUnsafe(ref mr, at);
                mv += vb1c * (gv - mv);
                var vv = vb2 * Vector512.LoadUnsafe(ref vr, at) + vb2c * (gv * gv);
                mv.StoreUnsafe(ref mr, at);
                vv.StoreUnsafe(ref vr, at);
                if (vMax is not null)
                {
                    ref T xr = ref MemoryMarshal.GetArrayDataReference(vMax);
                    vv = Vector512.Max(Vector512.LoadUnsafe(ref xr, at), vv);
                    vv.StoreUnsafe(ref xr, at);
                }
                (pv - vstep * (mv / (Vector512.Sqrt(vv) / vbc2 + veps))).StoreUnsafe(ref pr, at);
            }
        }
        for (; i < end; i++)
        {
            ref T pi = ref Unsafe.Add(ref pr, i);
            ref T mi = ref Unsafe.Add(ref mr, i);
            ref T vi = ref Unsafe.Add(ref vr, i);
            T gi = Unsafe.Add(ref gr, i) + wd * pi;
            mi += b1c * (gi - mi);
            vi = b2 * vi + b2c * (gi * gi);
            T vh = vi;
            if (vMax is not null)
            {
                vMax[i] = T.Max(vMax[i], vi);
                vh = vMax[i];
            }
            pi -= step * (mi / (T.Sqrt(vh) / bc2 + eps));
        }
    }
}
