using System.Diagnostics;
using System.Globalization;

namespace GanAudio.App.Training;

/// <summary>When training ends — after --steps iterations, or after --minutes of wall-clock time in this process,
/// whichever comes first — and the progress figures derived from it: the fraction done, the rate and the time left.</summary>
public sealed class TrainingBudget
{
    /// <summary>The step count used when only --minutes bounds a run.</summary>
    public const int Unbounded = int.MaxValue;

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly long startStep;

    public TrainingBudget(long steps, double minutes, long startStep)
    {
        (Steps, Minutes, this.startStep) = (steps, minutes, startStep);
    }

    public long Steps { get; }

    public double Minutes { get; }

    public double ElapsedSeconds => clock.Elapsed.TotalSeconds;

    public bool Done(long step) => step >= Steps || (Minutes > 0 && ElapsedSeconds >= Minutes * 60);

    /// <summary>Iterations per second in this process.</summary>
    public double Rate(long step) => (step - startStep) / Math.Max(ElapsedSeconds, 1e-9);

    /// <summary>Fraction done in [0, 1], by steps or by time, whichever is further.</summary>
    public double Fraction(long step)
    {
        double byTime = Minutes > 0 ? ElapsedSeconds / (Minutes * 60) : 0;
        double bySteps = Steps < Unbounded ? (double)step / Steps : 0;
        return Math.Clamp(Math.Max(byTime, bySteps), 0, 1);
    }

    /// <summary>Seconds left: the sooner of the step budget at the current rate and the time budget.</summary>
    public double SecondsLeft(long step)
    {
        double left = double.PositiveInfinity;
        double rate = Rate(step);
        if (Steps < Unbounded && rate > 0) left = (Steps - step) / rate;
        if (Minutes > 0) left = Math.Min(left, Minutes * 60 - ElapsedSeconds);
        return Math.Max(0, left);
    }

    /// <summary>One progress line: step, rate, time left and the latest losses.</summary>
    public string Line(StepReport r) => Line(r.Step, r);

    /// <summary>One progress line at <paramref name="step"/>: rate and time left, and the losses of <paramref name="r"/>,
    /// the newest iteration read back from the device (losses are read once per log interval; its step is named when it
    /// is an older one).</summary>
    public string Line(long step, StepReport? r)
    {
        string total = Steps < Unbounded ? $"/{Steps}" : "";
        string head = string.Create(CultureInfo.InvariantCulture, $"step {step}{total}  {Rate(step):F2} it/s  ETA {Clock(SecondsLeft(step))}");
        if (r is null) return head;
        string at = r.Step == step ? "" : $"  (losses of step {r.Step})";
        return head + string.Create(CultureInfo.InvariantCulture,
            $"  D {r.DLoss:F4}  G {r.GLoss:F4}  GP {r.Gp:F4}  W {r.Wasserstein:F4}  {r.WallSeconds:F0} s{at}");
    }

    public static string Clock(double seconds)
    {
        if (double.IsInfinity(seconds)) return "?";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }
}
