using GanAudio.Kernels.Cuda;

namespace GanAudio.Bench;

/// <summary>A device's roofline peaks: DRAM bandwidth (GB/s), FP32 and TF32 tensor throughput (GFLOP/s), each with where it
/// comes from. "stated": NVIDIA's datasheet figure for a known device name (TF32 dense, i.e. half the datasheet's
/// with-sparsity figure); "derived": from what the driver reports (2 × memory clock × bus width for DDR/HBM; SMs × SM clock
/// × FP32 lanes per SM of the compute capability × 2 for an FMA). Fractions use the stated figure when there is one.</summary>
public sealed record CudaPeaks(double BandwidthGBs, string BandwidthSource, double Fp32Gflops, string Fp32Source, double Tf32Gflops, string Tf32Source)
{
    /// <summary>Stated figures: name fragment (most specific first), HBM GB/s, FP32 GFLOP/s, TF32 dense GFLOP/s.</summary>
    private static readonly (string Match, double Bw, double Fp32, double Tf32)[] Stated =
    [
        ("H200 NVL", 4800, 60_000, 417_500),
        ("H200", 4800, 67_000, 494_500),
        ("H100 80GB HBM3", 3350, 67_000, 494_500),
        ("A100-SXM4-80GB", 2039, 19_500, 156_000),
        ("A100-SXM4-40GB", 1555, 19_500, 156_000),
    ];

    /// <summary>FP32 lanes (FMA per clock) per SM for a compute capability: 64 for sm_6x/7x/80, 128 for sm_86/89/90 and later.</summary>
    public static int Fp32LanesPerSm(int cc) => cc switch
    {
        < 80 => 64,
        80 => 64,
        _ => 128,
    };

    public static double DerivedBandwidthGBs(CudaDeviceInfo i) => 2.0 * i.MemoryClockKHz * 1e3 * i.MemoryBusWidthBits / 8 / 1e9;

    public static double DerivedFp32Gflops(CudaDeviceInfo i) => (double)i.Multiprocessors * i.ClockKHz * 1e3 * Fp32LanesPerSm(i.ComputeCapability) * 2 / 1e9;

    public static CudaPeaks For(CudaDeviceInfo i)
    {
        double bw = DerivedBandwidthGBs(i), fp32 = DerivedFp32Gflops(i);
        string bwHow = $"derived: 2 x {i.MemoryClockKHz / 1e3:F0} MHz x {i.MemoryBusWidthBits} bit = {bw:F0} GB/s";
        string fpHow = $"derived: {i.Multiprocessors} SMs x {i.ClockKHz / 1e3:F0} MHz x {Fp32LanesPerSm(i.ComputeCapability)} lanes x 2 = {fp32:F0} GFLOP/s";
        foreach (var s in Stated)
        {
            if (!i.Name.Contains(s.Match, StringComparison.OrdinalIgnoreCase)) continue;
            return new(s.Bw, $"stated ({s.Match} datasheet); {bwHow}", s.Fp32, $"stated ({s.Match} datasheet); {fpHow}",
                s.Tf32, $"stated ({s.Match} datasheet, dense)");
        }
        return new(bw, bwHow, fp32, fpHow, 0, "no figure for this device");
    }
}
