using System.Numerics;

namespace GanAudio.Kernels.Cpu;

/// <summary>Weight packing for the conv kernels of <see cref="ConvCpu"/>: writes the GEMM operand panels straight from
/// w [COut, CIn, K] in one parallel pass, with no dense intermediate.</summary>
internal static unsafe class ConvPack
{
    /// <summary>Packs the A operand of the stacked-phase backward-data GEMM into MR-row panels (see
    /// <see cref="GemmCore.PackA{T}"/>): A[(p, c), (d − dmin, o)] = w[o, c, p + P − S·d] where that tap lies in [0, K),
    /// else zero; rows p·CIn + c for p &lt; S, c &lt; CIn, zero rows past S·CIn; columns (d − dmin)·COut + o. Parallel over
    /// panels; each panel reads only the w rows of its channels, each once (o outer), and writes nd runs of MR values per o.</summary>
    public static void PhaseStackedA<T>(in Conv1dGeometry g, T* w, int dmin, int nd, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmCore.MR<T>();
        int rows = g.CIn * g.Stride, kk = g.COut * nd;
        int panels = GemmCore.Panels(rows, mr);
        var geo = g;
        var args = (w: (nint)w, d: (nint)dst);
        CpuParallel.For(panels, (double)mr * kk, q =>
        {
            int S = geo.Stride, KW = geo.Kernel, cin = geo.CIn, cout = geo.COut;
            // per panel row: w offset of its channel's tap 0, and its tap index at d = dmin (falling by S per d step)
            Span<long> rowW = stackalloc long[mr];
            Span<int> rowK0 = stackalloc int[mr];
            for (int r = 0; r < mr; r++)
            {
                int row = q * mr + r;
                rowW[r] = row < rows ? (long)(row % cin) * KW : -1;
                rowK0[r] = row / cin + geo.Padding - S * dmin;
            }
            T* src = (T*)args.w;
            T* d = (T*)args.d + (long)q * mr * kk;
            long oStride = (long)cin * KW;
            // o outer: the panel's channel rows of w[o] (MR·K values) stay in L1 while all nd shifts are written
            for (int o = 0; o < cout; o++)
            for (int dd = 0; dd < nd; dd++)
            {
                T* wo = src + o * oStride;
                T* dr = d + (long)(dd * cout + o) * mr;
                for (int r = 0; r < mr; r++)
                {
                    int k = rowK0[r] - S * dd;
                    dr[r] = rowW[r] >= 0 && (uint)k < (uint)KW ? wo[rowW[r] + k] : T.Zero;
                }
            }
        });
    }
}
