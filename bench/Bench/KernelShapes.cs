namespace GanAudio.Bench;

/// <summary>What a kernel benchmark case computes. ConvTranspose is conv1d backward-data (= conv_transpose1d forward).</summary>
public enum KernelCaseKind
{
    Gemm,
    Conv1d,
    ConvTranspose1d,
    Conv1dWeightGrad,
    ConvTranspose1dWeightGrad,
}

/// <summary>One benchmark case. For convs the geometry is the conv1d view: x [Batch, CIn, LIn] → y [Batch, COut, LOut];
/// a conv-transpose maps y-shaped input to x-shaped output. Shared (as a linked file) with bench/TorchBench so both
/// programs time exactly the same shapes.</summary>
public sealed record KernelCase(string Name, KernelCaseKind Kind, int Batch, int CIn, int COut, int LIn, int LOut,
    int Kernel = 25, int Stride = 4, int Padding = 11, int M = 0, int N = 0, int K = 0)
{
    public double Flops => Kind == KernelCaseKind.Gemm ? 2.0 * M * N * K : 2.0 * Batch * COut * LOut * CIn * Kernel;

    public int OutputPadding => LIn - ((LOut - 1) * Stride - 2 * Padding + Kernel);

    public string Shape => Kind switch
    {
        KernelCaseKind.Gemm => $"{M}x{K} * {K}x{N}",
        KernelCaseKind.Conv1d => $"[{Batch},{CIn},{LIn}]->[{Batch},{COut},{LOut}]",
        KernelCaseKind.ConvTranspose1d => $"[{Batch},{COut},{LOut}]->[{Batch},{CIn},{LIn}]",
        KernelCaseKind.Conv1dWeightGrad => $"dW [{COut},{CIn},{Kernel}] x[{Batch},{CIn},{LIn}]",
        _ => $"dW [{COut},{CIn},{Kernel}] y[{Batch},{CIn},{LIn}]",
    };
}

/// <summary>The WaveGAN layer shapes (kernel 25, stride 4, padding 11; 16384 samples) and GEMM 1024³.</summary>
public static class KernelShapes
{
    public const int Batch = 16;

    /// <summary>Channel multipliers of the five discriminator convs (input → output) in units of d; the generator
    /// mirrors them with conv-transposes.</summary>
    private static readonly (int In, int Out)[] DChannels = [(0, 1), (1, 2), (2, 4), (4, 8), (8, 16)];

    /// <param name="ds">Model sizes d.</param>
    /// <param name="weightGrads">Also the weight-gradient cases.</param>
    /// <param name="batch">Batch of every conv case (default <see cref="Batch"/>).</param>
    /// <param name="length">Audio samples (default 16384; a multiple of 1024: five stride-4 layers down to length/1024).</param>
    public static List<KernelCase> Cases(IEnumerable<int> ds, bool weightGrads, int batch = Batch, int length = 16384)
    {
        var list = new List<KernelCase> { new("gemm 1024^3", KernelCaseKind.Gemm, 1, 0, 0, 0, 0, M: 1024, N: 1024, K: 1024) };
        foreach (int d in ds)
        {
            int len = length;
            for (int i = 0; i < DChannels.Length; i++)
            {
                int cin = DChannels[i].In == 0 ? 1 : DChannels[i].In * d, cout = DChannels[i].Out * d;
                list.Add(new($"d={d} D{i + 1} conv1d", KernelCaseKind.Conv1d, batch, cin, cout, len, len / 4));
                if (weightGrads) list.Add(new($"d={d} D{i + 1} conv1d dW", KernelCaseKind.Conv1dWeightGrad, batch, cin, cout, len, len / 4));
                len /= 4;
            }
            // generator: conv-transposes from 16 → 16384; the conv view has x = the transposed conv's output
            len = length / 1024;
            for (int i = DChannels.Length - 1, j = 1; i >= 0; i--, j++)
            {
                int cBig = DChannels[i].Out * d, cSmall = DChannels[i].In == 0 ? 1 : DChannels[i].In * d;
                list.Add(new($"d={d} G{j} convT1d", KernelCaseKind.ConvTranspose1d, batch, cSmall, cBig, len * 4, len));
                if (weightGrads) list.Add(new($"d={d} G{j} convT1d dW", KernelCaseKind.ConvTranspose1dWeightGrad, batch, cSmall, cBig, len * 4, len));
                len *= 4;
            }
        }
        return list;
    }

    /// <summary>Median of a list of timings.</summary>
    public static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    public static string Header => $"{"case",-26} {"shape",-34} {"ms (median)",12} {"GFLOP/s",9} {"of peak",8}";

    public static string Row(KernelCase c, double ms, double peakGflops) =>
        $"{c.Name,-26} {c.Shape,-34} {ms,12:F3} {c.Flops / ms / 1e6,9:F1} {c.Flops / ms / 1e6 / peakGflops,8:P0}";
}
