using System.Runtime.CompilerServices;

namespace GanAudio.Kernels.Cuda;

/// <summary>One family of kernels (e.g. unary ops × dtype) as an array of slots, each resolved once, on first use, through
/// <see cref="KernelModules.Function(string, string)"/> (compile or disk cache, module load, function lookup, under its
/// lock). After that a launch reads the slot with one volatile read: no name string, no lock, no dictionary.</summary>
internal sealed class KernelTable
{
    private readonly KernelModules modules;
    private readonly KernelFunction?[] slots;
    private readonly Func<int, (string File, string Kernel)> symbol;

    /// <param name="modules">The pipeline that compiles and loads on a miss.</param>
    /// <param name="count">Number of slots (the family's index range).</param>
    /// <param name="symbol">Index → (embedded source file, kernel symbol); called once per slot.</param>
    public KernelTable(KernelModules modules, int count, Func<int, (string File, string Kernel)> symbol)
    {
        this.modules = modules;
        slots = new KernelFunction?[count];
        this.symbol = symbol;
    }

    /// <summary>The kernel of slot <paramref name="index"/>, resolved on first use.</summary>
    public KernelFunction this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref slots[index]) ?? Resolve(index);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private KernelFunction Resolve(int index)
    {
        var (file, kernel) = symbol(index);
        var f = modules.Function(file, kernel);
        // two threads may both get here; the module cache returns the same handle, and only the winner counts
        if (Interlocked.CompareExchange(ref slots[index], f, null) is null) modules.CountResolution();
        return slots[index]!;
    }

    /// <summary>Slot index of (op, dtype) for a family indexed by an enum op and the dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(int op, DType t) => op * DTypeCount + (int)t;

    /// <summary>Slots needed for an enum op family: (largest member + 1) × dtypes.</summary>
    public static int Count<TOp>() where TOp : struct, Enum => (Enum.GetValues<TOp>().Max(v => Convert.ToInt32(v)) + 1) * DTypeCount;

    public static readonly int DTypeCount = Enum.GetValues<DType>().Max(v => (int)v) + 1;

    /// <summary>The inverse of <see cref="Index"/>.</summary>
    public static (int Op, DType T) Split(int index) => (index / DTypeCount, (DType)(index % DTypeCount));
}
