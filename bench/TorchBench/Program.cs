using System.Runtime.CompilerServices;
using GanAudio.TorchBench;

// libtorch side of bench/Bench's `kernels` suite: same shapes, same columns, torch.set_num_threads(threads).
// Usage: dotnet run -c Release --project bench/TorchBench -- [--quick] [--d 32] [--filter text] [--threads n] [--no-dw]
// or:    dotnet run -c Release --project bench/TorchBench -- step [--d 32] [--iters n] [--warmup n] [--batch n] [--threads n] (bench/Bench's `step` suite)
string native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
if (!File.Exists(native)) native = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
if (OperatingSystem.IsLinux() && File.Exists(native))
{
    int n = GanAudio.Tools.ElfVersionPatch.MarkWeak(native, "GLIBCXX_3.4.32");
    if (n > 0) Console.WriteLine($"patched {native}: GLIBCXX_3.4.32 requirement marked weak");
}
return Run(args);

[MethodImpl(MethodImplOptions.NoInlining)]
static int Run(string[] args) => args.Length > 0 && args[0] == "step" ? TorchStep.Run(args[1..]) : TorchKernels.Run(args);
