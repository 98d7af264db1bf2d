using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanAudio.Kernels.Cpu;

/// <summary>One blocked GEMM problem: C[m, n] (op)= Σ_k A[m, k] · B[k, n] for m &lt; M, n &lt; N, k &lt; K.
/// A is packed (panel i holds rows i·MR .. i·MR+MR−1 at <c>A + i·MR·K</c>, laid out [k][MR], zero rows past M).
/// Row k of B starts at <c>B + Off[k]</c>; columns are contiguous. With <see cref="BPanel"/> &gt; 0, B is packed
/// in NR-wide panels and column block j·NR starts at <c>B + j·BPanel</c>; with 0, column n is at <c>B + Off[k] + n</c>
/// (implicit GEMM: rows read in place, valid for reads up to the next multiple of NR).
/// C[m, n] lives at <c>C + m·Ldc + n·ColStride</c>. The first K block writes C = Beta·C + acc (+ Bias[m]); Beta = 0
/// never reads C. Later blocks add.</summary>
internal unsafe struct GemmJob<T> where T : unmanaged
{
    public T* A;
    public T* B;
    public int* Off;
    public long BPanel;
    public T* C;
    public long Ldc;
    public long ColStride;
    public int M, N, K;
    public T Beta;
    public T* Bias;

    /// <summary>K extent of the packed A panels when the job covers only part of them (0: K).</summary>
    public int AK;

    /// <summary>When set, C row m starts at <c>C + CRow[m]</c> instead of <c>C + m·Ldc</c>.</summary>
    public int* CRow;

    /// <summary>When set (packed A only), MR-row panel i runs over k in [KBegin[i], KEnd[i]) only: A is zero outside.</summary>
    public int* KBegin, KEnd;

    /// <summary>When &gt; 0, A is not packed but row-major: A[m, k] = <c>A[m·Lda + k]</c> (<see cref="AK"/> unused), and
    /// when M is not a multiple of MR, <see cref="ALast"/> holds the last (partial) row panel packed.</summary>
    public long Lda;

    /// <summary>With <see cref="Lda"/>: rows [M − M mod MR, M) packed as one MR-row panel over all K (zero rows past M);
    /// see <see cref="GemmCore.PackLastPanel{T}"/>.</summary>
    public T* ALast;

    /// <summary>With <see cref="Lda"/>: when set, column k of A is at element offset AOff[k] rather than k, i.e.
    /// A[m, k] = <c>A[m·Lda + AOff[k]]</c> (and <see cref="ALast"/> is packed through the same offsets).</summary>
    public int* AOff;

    /// <summary>Tile width in columns (a multiple of NR) when &gt; 0; 0 lets <see cref="GemmCore.Run{T}"/> choose.</summary>
    public int TileCols;

    /// <summary>Tile height in rows (a multiple of MR) when &gt; 0; 0: <see cref="GemmCore.MC"/>.</summary>
    public int TileRows;
}

/// <summary>Cache-blocked GEMM driver over <see cref="GemmJob{T}"/>s: C is cut into MC×NC tiles whose boundaries depend
/// only on the problem, tiles run in parallel, and inside a tile the K blocks run in a fixed order, so every element is
/// computed the same way whatever the thread count.</summary>
internal static unsafe class GemmCore
{
    /// <summary>Tests set this to exercise the Vector256 kernel on AVX-512 machines.</summary>
    internal static bool ForceVector256;

    public static bool Use512 => Vector512.IsHardwareAccelerated && !ForceVector256;

    public static int MR<T>() where T : unmanaged => Use512 ? MicroKernels.MR512 : MicroKernels.MR256;

    public static int NR<T>() where T : unmanaged => Use512 ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    /// <summary>K block: one kc×NR B micro-panel stays in L1 while the A panels of a tile stream from L2.</summary>
    public const int KC = 256;

    /// <summary>Rows per tile (a multiple of both MRs).</summary>
    public const int MC = 144;

    /// <summary>Number of MR-row panels needed for M rows.</summary>
    public static int Panels(int m, int mr) => (m + mr - 1) / mr;

    /// <summary>Runs all jobs; tiles of all jobs are spread over the cores together.</summary>
    public static void Run<T>(GemmJob<T>[] jobs, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = NR<T>();
        // tile width: aim for enough tiles to balance two-plus cores, never below 4 micro-panels
        long totalFlops = 0;
        for (int j = 0; j < count; j++) totalFlops += 2L * jobs[j].M * jobs[j].N * Math.Max(1, jobs[j].K);
        var starts = new int[count + 1];
        var ncs = new int[count];
        var mcs = new int[count];
        for (int j = 0; j < count; j++)
        {
            ref var jb = ref jobs[j];
            int mc = jb.TileRows > 0 ? jb.TileRows : TileHeight(jb.M, MR<T>());
            int nc = jb.TileCols > 0 ? jb.TileCols : TileWidth(jb.M, mc, jb.N, nr);
            ncs[j] = nc;
            mcs[j] = mc;
            int tiles = Panels(jb.M, mcs[j]) * Panels(jb.N, nc);
            starts[j + 1] = starts[j] + tiles;
        }
        int total = starts[count];
        double cost = total == 0 ? 0 : (double)totalFlops / total;
        CpuParallel.For(total, cost, t =>
        {
            int j = Array.BinarySearch(starts, 0, count + 1, t);
            if (j < 0) j = ~j - 1;
            while (j + 1 <= count && starts[j + 1] <= t) j++;
            ref var jb = ref jobs[j];
            int local = t - starts[j];
            int nTiles = Panels(jb.N, ncs[j]);
            int mt = local / nTiles, nt = local % nTiles;
            int m0 = mt * mcs[j], n0 = nt * ncs[j];
            RunTile(jb, m0, Math.Min(jb.M, m0 + mcs[j]), n0, Math.Min(jb.N, n0 + ncs[j]));
        });
    }

    /// <summary>Tile height: at most <see cref="MC"/> rows, with the row panels shared out evenly over the fewest tiles
    /// (1024 rows in 12-row panels: 8 tiles of 132/100 rows rather than 7 of 144 and one of 16, which left one core
    /// idle for an eighth of the run).</summary>
    private static int TileHeight(int m, int mr)
    {
        int panels = Panels(m, mr);
        int tiles = Panels(panels, MC / mr);
        return Panels(panels, tiles) * mr;
    }

    private static int TileWidth(int m, int mc, int n, int nr)
    {
        int panels = Panels(n, nr);
        int mTiles = Panels(m, mc);
        // want ≥ 16 tiles in total when the problem allows (so that uneven tiles even out over the cores), tiles at
        // most 32 panels wide, the panels shared out evenly
        int nTilesWanted = Math.Max(1, (16 + mTiles - 1) / mTiles);
        int perTile = Math.Clamp((panels + nTilesWanted - 1) / nTilesWanted, 4, 32);
        int nTiles = Panels(panels, perTile);
        return Panels(panels, nTiles) * nr;
    }

    /// <summary>Computes C rows [m0, m1) × columns [n0, n1) of one job; m0 is a multiple of MR, n0 of NR.</summary>
    public static void RunTile<T>(in GemmJob<T> jb, int m0, int m1, int n0, int n1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR<T>(), nr = NR<T>();
        bool v512 = Use512;
        T* tile = stackalloc T[MicroKernels.MR512 * 2 * 64 / sizeof(T)];
        // row-major A: full panels are read in place, a partial last one comes packed
        if (jb.Lda > 0 && !v512) throw new InvalidOperationException("gemm: row-major A needs the Vector512 micro-kernel");
        int lastFull = jb.M / mr * mr;
        // job fields in locals: the stores into C and the tile could alias them, so the JIT would reload them per call
        long lda = jb.Lda, panelStride = (long)mr * (jb.AK > 0 ? jb.AK : jb.K);
        T* aBase = jb.A, aLast = jb.ALast;
        int* kBegin = jb.KBegin, kEnd = jb.KEnd, aOff = jb.AOff;
        if (jb.K == 0)
        {
            for (int m = m0; m < m1; m++)
            for (int n = n0; n < n1; n++)
            {
                T* c = RowPtr(jb, m) + n * jb.ColStride;
                T v = jb.Beta == T.Zero ? T.Zero : jb.Beta * *c;
                *c = jb.Bias == null ? v : v + jb.Bias[m];
            }
            return;
        }
        for (int pc = 0; pc < jb.K; pc += KC)
        {
            int kc = Math.Min(KC, jb.K - pc);
            bool first = pc == 0;
            for (int jr = n0; jr < n1; jr += nr)
            {
                T* b = jb.BPanel > 0 ? jb.B + (jr / nr) * jb.BPanel : jb.B + jr;
                int* off = jb.Off + pc;
                int cols = Math.Min(nr, n1 - jr);
                for (int ir = m0; ir < m1; ir += mr)
                {
                    if (lda > 0 && ir < lastFull)
                    {
                        if (aOff != null) MicroKernels.Kernel512RowsAt(kc, aBase + ir * lda, lda, aOff + pc, b, off, tile);
                        else MicroKernels.Kernel512Rows(kc, aBase + ir * lda + pc, lda, b, off, tile);
                        StoreTile(jb, tile, nr, ir, Math.Min(mr, m1 - ir), jr, cols, first);
                        continue;
                    }
                    T* a = lda > 0 ? aLast + (long)pc * mr : aBase + ir / mr * panelStride + (long)pc * mr;
                    int ka = 0, kb = kc;
                    if (kBegin != null)
                    {
                        // this panel's nonzero K range within the block (may be empty: the tile is then zero)
                        ka = Math.Clamp(kBegin[ir / mr] - pc, 0, kc);
                        kb = Math.Clamp(kEnd[ir / mr] - pc, ka, kc);
                    }
                    if (v512) MicroKernels.Kernel512(kb - ka, a + (long)ka * mr, b, off + ka, tile);
                    else MicroKernels.Kernel256(kb - ka, a + (long)ka * mr, b, off + ka, tile);
                    StoreTile(jb, tile, nr, ir, Math.Min(mr, m1 - ir), jr, cols, first);
                }
            }
        }
    }

    /// <summary>Elements needed for <see cref="GemmJob{T}.ALast"/> (at least 1).</summary>
    public static long LastPanelSize<T>(int m, int k) where T : unmanaged => m % MR<T>() == 0 ? 1 : (long)MR<T>() * k;

    /// <summary>Packs the partial last row panel of a row-major A [m × k] (row stride lda) for <see cref="GemmJob{T}.ALast"/>;
    /// does nothing when m is a multiple of MR.</summary>
    public static void PackLastPanel<T>(T* a, long lda, int m, int k, T* dst) where T : unmanaged, IFloatingPointIeee754<T> =>
        PackLastPanel(a, lda, null, m, k, dst);

    /// <summary>As <see cref="PackLastPanel{T}(T*, long, int, int, T*)"/> for an A read through column offsets
    /// (<see cref="GemmJob{T}.AOff"/>; null: column kk at kk): dst[kk·MR + r] = a[(full + r)·lda + aOff[kk]], zero rows past m.</summary>
    public static void PackLastPanel<T>(T* a, long lda, int* aOff, int m, int k, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR<T>(), full = m / mr * mr;
        if (full == m) return;
        for (int r = 0; r < mr; r++)
        {
            T* s = a + (full + r) * lda;
            if (full + r >= m)
                for (int kk = 0; kk < k; kk++) dst[kk * mr + r] = T.Zero;
            else if (aOff is null)
                for (int kk = 0; kk < k; kk++) dst[kk * mr + r] = s[kk];
            else
                for (int kk = 0; kk < k; kk++) dst[kk * mr + r] = s[aOff[kk]];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* RowPtr<T>(in GemmJob<T> jb, int m) where T : unmanaged => jb.CRow != null ? jb.C + jb.CRow[m] : jb.C + m * jb.Ldc;

    /// <summary>Adds (or, on the first K block, writes) a tile into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile<T>(in GemmJob<T> jb, T* tile, int nr, int m0, int rows, int n0, int cols, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool overwrite = first && jb.Beta == T.Zero;
        bool scale = first && jb.Beta != T.Zero && jb.Beta != T.One;
        if (jb.ColStride == 1 && cols == nr)
        {
            for (int r = 0; r < rows; r++)
            {
                T* c = RowPtr(jb, m0 + r) + n0;
                T* t = tile + r * nr;
                T bias = first && jb.Bias != null ? jb.Bias[m0 + r] : T.Zero;
                if (Vector512.IsHardwareAccelerated && nr % Vector512<T>.Count == 0)
                {
                    var bv = Vector512.Create(bias);
                    var sv = Vector512.Create(jb.Beta);
                    for (int j = 0; j < nr; j += Vector512<T>.Count)
                    {
                        var tv = Vector512.Load(t + j) + bv;
                        if (overwrite) tv.Store(c + j);
                        else if (scale) (tv + sv * Vector512.Load(c + j)).Store(c + j);
                        else (tv + Vector512.Load(c + j)).Store(c + j);
                    }
                }
                else if (Vector256.IsHardwareAccelerated && nr % Vector256<T>.Count == 0)
                {
                    var bv = Vector256.Create(bias);
                    var sv = Vector256.Create(jb.Beta);
                    for (int j = 0; j < nr; j += Vector256<T>.Count)
                    {
                        var tv = Vector256.Load(t + j) + bv;
                        if (overwrite) tv.Store(c + j);
                        else if (scale) (tv + sv * Vector256.Load(c + j)).Store(c + j);
                        else (tv + Vector256.Load(c + j)).Store(c + j);
                    }
                }
                else
                {
                    for (int j = 0; j < nr; j++)
                        c[j] = overwrite ? t[j] + bias : scale ? t[j] + bias + jb.Beta * c[j] : t[j] + bias + c[j];
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            T* crow = RowPtr(jb, m0 + r) + n0 * jb.ColStride;
            T* t = tile + r * nr;
            T bias = first && jb.Bias != null ? jb.Bias[m0 + r] : T.Zero;
            for (int j = 0; j < cols; j++)
            {
                T* c = crow + j * jb.ColStride;
                *c = overwrite ? t[j] + bias : scale ? t[j] + bias + jb.Beta * *c : t[j] + bias + *c;
            }
        }
    }

    /// <summary>Packs op(A)·alpha for rows [0, M) into MR-row panels ([k][MR], zero rows past M).
    /// op(A)[m, k] = src[m·K + k], or src[k·M + m] when <paramref name="trans"/>.</summary>
    public static void PackA<T>(T* src, bool trans, int M, int K, T alpha, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR<T>();
        int panels = Panels(M, mr);
        var args = (src: (nint)src, dst: (nint)dst);
        CpuParallel.For(panels, (double)mr * K, p =>
        {
            T* s = (T*)args.src;
            T* d = (T*)args.dst + (long)p * mr * K;
            int m0 = p * mr, rows = Math.Min(mr, M - m0);
            if (trans)
            {
                for (int k = 0; k < K; k++)
                {
                    T* sr = s + (long)k * M + m0;
                    T* dr = d + k * mr;
                    int r = 0;
                    for (; r < rows; r++) dr[r] = alpha * sr[r];
                    for (; r < mr; r++) dr[r] = T.Zero;
                }
            }
            else
            {
                // blocks of 64 k: the 64·MR destination values stay in L1 while the MR source rows are read in order
                const int kb = 64;
                int k0 = 0;
                if (typeof(T) == typeof(float) && Sse.IsSupported && rows == mr && mr % 4 == 0)
                {
                    PackARows4((float*)(s + (long)m0 * K), K, mr, float.CreateTruncating(alpha), (float*)d);
                    k0 = K / 4 * 4;
                }
                for (; k0 < K; k0 += kb)
                {
                    int k1 = Math.Min(K, k0 + kb);
                    for (int r = 0; r < mr; r++)
                    {
                        if (r >= rows)
                        {
                            for (int k = k0; k < k1; k++) d[k * mr + r] = T.Zero;
                            continue;
                        }
                        T* sr = s + (long)(m0 + r) * K;
                        for (int k = k0; k < k1; k++) d[k * mr + r] = alpha * sr[k];
                    }
                }
            }
        });
    }

    /// <summary>The whole-4 part of one full MR-row A panel, float32: d[k·mr + r] = alpha·s[r·ld + k] for k &lt; K − K mod 4,
    /// by 4×4 register transposes (four 16-byte loads, eight shuffles and four 16-byte stores per 16 values).</summary>
    private static void PackARows4(float* s, long ld, int mr, float alpha, float* d)
    {
        int k4 = (int)(ld / 4 * 4);
        var av = Vector128.Create(alpha);
        for (int r0 = 0; r0 < mr; r0 += 4)
        {
            float* s0 = s + r0 * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
            float* dr = d + r0;
            for (int k = 0; k < k4; k += 4)
            {
                var x0 = Vector128.Load(s0 + k) * av;
                var x1 = Vector128.Load(s1 + k) * av;
                var x2 = Vector128.Load(s2 + k) * av;
                var x3 = Vector128.Load(s3 + k) * av;
                var t0 = Sse.UnpackLow(x0, x1);   // a0 b0 a1 b1
                var t1 = Sse.UnpackLow(x2, x3);   // c0 d0 c1 d1
                var t2 = Sse.UnpackHigh(x0, x1);  // a2 b2 a3 b3
                var t3 = Sse.UnpackHigh(x2, x3);  // c2 d2 c3 d3
                Sse.MoveLowToHigh(t0, t1).Store(dr + (long)k * mr);
                Sse.MoveHighToLow(t1, t0).Store(dr + (long)(k + 1) * mr);
                Sse.MoveLowToHigh(t2, t3).Store(dr + (long)(k + 2) * mr);
                Sse.MoveHighToLow(t3, t2).Store(dr + (long)(k + 3) * mr);
            }
        }
    }

    /// <summary>Packs a gathered A for rows [0, M) into MR-row panels: A[m, k] = src[rowBase[m] + kOff[k]] (zero rows past M).
    /// Implicit-GEMM convolutions use it to pack im2col-style operands straight from their (polyphase) inputs.</summary>
    public static void PackAGather<T>(T* src, int* rowBase, int* kOff, int M, int K, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = MR<T>();
        int panels = Panels(M, mr);
        var args = (src: (nint)src, dst: (nint)dst, rb: (nint)rowBase, ko: (nint)kOff);
        CpuParallel.For(panels, (double)mr * K, p =>
        {
            T* s = (T*)args.src;
            int* rb = (int*)args.rb + p * mr;
            int* ko = (int*)args.ko;
            T* d = (T*)args.dst + (long)p * mr * K;
            int rows = Math.Min(mr, M - p * mr);
            bool consecutive = true;
            for (int r = 1; r < rows; r++) consecutive &= rb[r] == rb[0] + r;
            for (int k = 0; k < K; k++)
            {
                T* dr = d + k * mr;
                int r = 0;
                if (consecutive)
                {
                    T* sr = s + rb[0] + ko[k];
                    for (; r < rows; r++) dr[r] = sr[r];
                }
                else
                {
                    for (; r < rows; r++) dr[r] = s[rb[r] + ko[k]];
                }
                for (; r < mr; r++) dr[r] = T.Zero;
            }
        });
    }

    /// <summary>Packs op(B) into NR-column panels (panel j at dst + j·NR·K, [k][NR], zero columns past N).
    /// op(B)[k, n] = src[k·N + n], or src[n·K + k] when <paramref name="trans"/>.</summary>
    public static void PackB<T>(T* src, bool trans, int K, int N, T* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = NR<T>();
        int panels = Panels(N, nr);
        var args = (src: (nint)src, dst: (nint)dst);
        if (!trans)
        {
            // blocks of 16 rows of B, each read in order and dealt out to all panels (reading one panel's column strip
            // down all K rows instead touches a new page per row)
            const int kb = 16;
            CpuParallel.For(Panels(K, kb), (double)kb * N, blk =>
            {
                T* s = (T*)args.src;
                int k1 = Math.Min(K, (blk + 1) * kb);
                for (int k = blk * kb; k < k1; k++)
                {
                    T* sr = s + (long)k * N;
                    for (int p = 0; p < panels; p++)
                    {
                        T* dr = (T*)args.dst + (long)p * nr * K + (long)k * nr;
                        int n0 = p * nr, cols = Math.Min(nr, N - n0);
                        if (cols == nr) new ReadOnlySpan<T>(sr + n0, nr).CopyTo(new Span<T>(dr, nr));
                        else
                        {
                            int j = 0;
                            for (; j < cols; j++) dr[j] = sr[n0 + j];
                            for (; j < nr; j++) dr[j] = T.Zero;
                        }
                    }
                }
            });
            return;
        }
        CpuParallel.For(panels, (double)nr * K, p =>
        {
            T* s = (T*)args.src;
            T* d = (T*)args.dst + (long)p * nr * K;
            int n0 = p * nr, cols = Math.Min(nr, N - n0);
            // transposed B: blocks of 16 k, the 16 destination rows stay in L1 while each source row gives one cache line
            const int kb = 16;
            for (int k0 = 0; k0 < K; k0 += kb)
            {
                int k1 = Math.Min(K, k0 + kb);
                for (int j = 0; j < nr; j++)
                {
                    if (j >= cols)
                    {
                        for (int k = k0; k < k1; k++) d[k * nr + j] = T.Zero;
                        continue;
                    }
                    T* sr = s + (long)(n0 + j) * K;
                    for (int k = k0; k < k1; k++) d[k * nr + j] = sr[k];
                }
            }
        });
    }
}
