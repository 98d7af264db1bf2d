using System.Diagnostics;
using GanAudio.Kernels;

namespace GanAudio.Bench;

/// <summary>Elementwise transcendental ops (exp, log, tanh, sigmoid, sin, cos) on float32 for the kernels suite: one
/// <see cref="IBackend.Unary"/> call over 16·32·4096 = 2 Mi elements (a d = 32 activation), reported as median and best
/// ms and GB/s counting 4 bytes read + 4 bytes written per element.</summary>
public static class ElementwiseBench
{
    public const int Count = 16 * 32 * 4096;

    public static readonly UnaryOp[] Ops = [UnaryOp.Exp, UnaryOp.Log, UnaryOp.Tanh, UnaryOp.Sigmoid, UnaryOp.Sin, UnaryOp.Cos];

    public static string Header => $"{"case",-26} {"elements",10} {"ms (median)",12} {"GB/s",8} {"best ms",9} {"GB/s",8}";

    /// <summary>Times one op: inputs in a range that keeps it finite (log: (0.05, 10); others: N(0, 2)).</summary>
    public static (double Median, double Best) Time(IBackend be, UnaryOp op, int minRuns)
    {
        using var x = be.Allocate(DType.Float32, Count);
        using var y = be.Allocate(DType.Float32, Count);
        be.RandomNormal(x, Count, 7, 0, 0, 2);
        if (op == UnaryOp.Log)
        {
            be.Unary(UnaryOp.Abs, x, y, Count);
            be.Unary(UnaryOp.AddScalar, y, x, Count, 0.05);
        }
        be.Unary(op, x, y, Count);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < minRuns || (total.Elapsed.TotalSeconds < 1.0 && times.Count < 200))
        {
            var sw = Stopwatch.StartNew();
            be.Unary(op, x, y, Count);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return (KernelShapes.Median(times), times.Min());
    }

    public static string Row(UnaryOp op, double median, double best)
    {
        double bytes = 8.0 * Count;
        return $"{"unary " + op.ToString().ToLowerInvariant() + " f32",-26} {Count,10} {median,12:F3} {bytes / median / 1e6,8:F1} {best,9:F3} {bytes / best / 1e6,8:F1}";
    }
}
