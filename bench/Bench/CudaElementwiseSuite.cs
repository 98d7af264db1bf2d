using System.Diagnostics;
using GanAudio.Kernels;
using GanAudio.Kernels.Cuda;

namespace GanAudio.Bench;

/// <summary>CUDA elementwise throughput on the installed driver (a real GPU): tanh f32 over 2^24 elements against the same
/// backend's contiguous copy of the same size, each timed over 20 launches after a warm-up. Prints GB/s (bytes read +
/// written) and tanh's fraction of the measured copy bandwidth. Replaces a test that could only assert "GB/s &gt; 0".</summary>
public sealed class CudaElementwiseSuite : IBenchSuite
{
    public string Name => "cuda-elementwise";

    public string Description => "CUDA tanh f32 vs contiguous copy, 2^24 elements, GB/s (needs a GPU; --n elements, --reps k)";

    public int Run(string[] args)
    {
        int n = 1 << 24, reps = 20;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--n") n = int.Parse(args[i + 1]);
            if (args[i] == "--reps") reps = int.Parse(args[i + 1]);
        }
        CudaBackend be;
        try
        {
            be = CudaBackend.Create(new CudaOptions());
        }
        catch (CudaException e)
        {
            Console.Error.WriteLine($"error: no CUDA backend here: {e.Message}");
            return 1;
        }
        using var x = be.Allocate(DType.Float32, n);
        using var y = be.Allocate(DType.Float32, n);
        be.Fill(x, 0, n, 0.5);
        double tanh = Seconds(be, reps, () => be.Unary(UnaryOp.Tanh, x, y, n));
        var src = new StridedOperand(x, 0, [1]);
        double copy = Seconds(be, reps, () => be.Copy(src, [n], y));
        double bytes = 2.0 * n * sizeof(float);
        Console.WriteLine($"device: {be.DeviceName}{(be.IsSimulator ? " (CPU simulator: figures mean nothing)" : "")}");
        Console.WriteLine($"tanh f32  n={n}: {tanh * 1e6:F1} us, {bytes / tanh / 1e9:F1} GB/s");
        Console.WriteLine($"copy f32  n={n}: {copy * 1e6:F1} us, {bytes / copy / 1e9:F1} GB/s");
        Console.WriteLine($"tanh / copy bandwidth: {copy / tanh:F2}");
        return 0;
    }

    /// <summary>Median seconds per launch over <paramref name="reps"/> synchronised launches, after one warm-up.</summary>
    private static double Seconds(CudaBackend be, int reps, Action launch)
    {
        launch();
        be.Synchronize();
        var t = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            launch();
            be.Synchronize();
            t[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(t);
        return t[reps / 2];
    }
}
