using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Cuda;

/// <summary>Conv1d through cuDNN when it is installed: a 1-D convolution is a 2-D one of height 1 (NCHW tensors
/// [N, C, 1, L], filter [COut, CIn, 1, K], padding (0, P), stride (1, S), dilation (1, 1), cross-correlation, which is
/// PyTorch's conv1d). The algorithm is chosen once per geometry, dtype and math type by cuDNN's heuristic
/// (cudnnGet*Algorithm_v7: the first successful one, deterministic preferred, whose workspace fits
/// <see cref="CudnnWorkspaceBytes"/>) and cached with its descriptors; the workspace comes from the caching allocator.
/// The bias is added by cudnnAddTensor. cuDNN is optional: without it (always on the simulator), with
/// <c>GANAUDIO_CUDNN=0</c>, <see cref="CudnnAllowed"/> false, or for a geometry cuDNN cannot express (an input longer
/// than its output needs) or has no algorithm for, the im2col + GEMM path of CudaBackend.Conv.cs runs.</summary>
public sealed unsafe partial class CudaBackend
{
    private const int DirForward = 0, DirBackwardData = 1, DirBackwardWeight = 2;
    private const int AlgoQueryCount = 8;  // ≥ CUDNN_CONVOLUTION_{FWD 8, BWD_DATA 6, BWD_FILTER 7}_ALGO_COUNT

    private readonly object dnnGate = new();
    private bool dnnTried;
    private Cudnn? dnn;
    private nint dnnHandle;
    private string dnnReason = "";
    private readonly Dictionary<(Conv1dGeometry G, DType T, int Math, int Dir), CudnnPlan?> plans = new();

    /// <summary>One convolution's descriptors and chosen algorithm.</summary>
    private sealed class CudnnPlan
    {
        public nint X, W, Y, Conv, Bias;
        public int Algo;
        public nuint WorkspaceBytes;
    }

    /// <summary>False forces the im2col + GEMM path even when cuDNN is installed (tests compare the two on a GPU).</summary>
    public bool CudnnAllowed { get; set; } = Environment.GetEnvironmentVariable("GANAUDIO_CUDNN") != "0";

    /// <summary>Largest workspace a cuDNN algorithm may ask for (default 256 MiB); algorithms needing more are skipped.</summary>
    internal long CudnnWorkspaceBytes { get; set; } = 256L << 20;

    /// <summary>Convolutions run by cuDNN so far (forward, backward-data, backward-weight calls).</summary>
    internal long CudnnConvolutions;

    /// <summary>"cudnn" when conv1d goes through cuDNN, "im2col" when through the backend's own im2col/col2im kernels and
    /// cuBLAS (cuDNN absent or disabled; see <see cref="ConvolutionPathReason"/>). A geometry cuDNN cannot express
    /// (LIn longer than LOut needs) takes im2col even when this says cudnn.</summary>
    public string ConvolutionPath => CudnnReady() != null ? "cudnn" : "im2col";

    /// <summary>Why <see cref="ConvolutionPath"/> is what it is: the cuDNN library and version, or why it is not used.</summary>
    public string ConvolutionPathReason
    {
        get
        {
            var d = CudnnReady();
            if (d != null) return $"cuDNN {(ulong)d.cudnnGetVersion()} from {d.Path}";
            return CudnnAllowed ? dnnReason : "cuDNN disabled (CudnnAllowed false or GANAUDIO_CUDNN=0)";
        }
    }

    private Cudnn? CudnnReady()
    {
        if (!CudnnAllowed) return null;
        lock (dnnGate)
        {
            if (dnnTried) return dnn;
            dnnTried = true;
            if (IsSimulator)
            {
                dnnReason = "cuDNN not used: the simulator's stand-in driver cannot run it";
                return null;
            }
            try
            {
                var d = Cudnn.TryLoad(search);
                if (d == null)
                {
                    dnnReason = $"cuDNN not found ({string.Join(", ", LibraryLoader.CudnnNames)}); using im2col + cuBLAS";
                    return null;
                }
                ulong version = d.cudnnGetVersion();
                if (version < 8000)
                {
                    dnnReason = $"cuDNN {version} from {d.Path} is older than 8.0; using im2col + cuBLAS";
                    return null;
                }
                Dev.MakeCurrent();
                nint h;
                int st = d.cudnnCreate(&h);
                if (st != 0)
                {
                    dnnReason = $"cudnnCreate failed (status {st}: {LibraryLoader.Utf8(d.cudnnGetErrorString(st))}); using im2col + cuBLAS";
                    return null;
                }
                d.Check(d.cudnnSetStream(h, Dev.Stream));
                dnnHandle = h;
                dnn = d;
                return d;
            }
            catch (CudaUnavailableException e)
            {
                dnnReason = $"cuDNN unusable: {e.Message}; using im2col + cuBLAS";
                return null;
            }
        }
    }

    /// <summary>cuDNN expresses the geometry exactly: its output length from LIn equals LOut (not so for a conv-transpose's
    /// output padding that leaves extra inputs), and every length is positive.</summary>
    private static bool CudnnExpresses(in Conv1dGeometry g) =>
        g.Batch > 0 && g.LIn > 0 && g.LOut > 0 && Conv1dGeometry.OutputLength(g.LIn, g.Kernel, g.Stride, g.Padding) == g.LOut;

    private CudnnPlan? Plan(in Conv1dGeometry g, DType t, int dir)
    {
        if (!CudnnExpresses(g) || CudnnReady() is not { } d) return null;
        int math = CudnnMathTypeFor(precision, ComputeCapability, t);
        var key = (g, t, math, dir);
        lock (dnnGate)
        {
            if (!plans.TryGetValue(key, out var p))
            {
                p = BuildPlan(d, g, t, math, dir);
                plans[key] = p;
            }
            return p;
        }
    }

    /// <summary>Descriptors, the heuristic's algorithm and its workspace; null (im2col) when cuDNN refuses the geometry or
    /// offers no algorithm within the workspace limit and the math type.</summary>
    private CudnnPlan? BuildPlan(Cudnn d, Conv1dGeometry g, DType t, int math, int dir)
    {
        int dt = t switch
        {
            DType.Float32 => Cudnn.CUDNN_DATA_FLOAT,
            DType.Float64 => Cudnn.CUDNN_DATA_DOUBLE,
            _ => throw DTypeExtensions.Unsupported(t, "conv1d (cuDNN)"),
        };
        var p = new CudnnPlan();
        bool ok = false;
        try
        {
            p.X = TensorDescriptor(d, dt, g.Batch, g.CIn, g.LIn);
            p.Y = TensorDescriptor(d, dt, g.Batch, g.COut, g.LOut);
            if (dir == DirForward) p.Bias = TensorDescriptor(d, dt, 1, g.COut, 1);
            nint w;
            d.Check(d.cudnnCreateFilterDescriptor(&w));
            p.W = w;
            int* fdims = stackalloc int[] { g.COut, g.CIn, 1, g.Kernel };
            if (d.cudnnSetFilterNdDescriptor(w, dt, Cudnn.CUDNN_TENSOR_NCHW, 4, fdims) != 0) return null;
            nint conv;
            d.Check(d.cudnnCreateConvolutionDescriptor(&conv));
            p.Conv = conv;
            int* pad = stackalloc int[] { 0, g.Padding };
            int* stride = stackalloc int[] { 1, g.Stride };
            int* dil = stackalloc int[] { 1, 1 };
            if (d.cudnnSetConvolutionNdDescriptor(conv, 2, pad, stride, dil, Cudnn.CUDNN_CROSS_CORRELATION, dt) != 0) return null;
            if (d.cudnnSetConvolutionMathType(conv, math) != 0) return null;  // e.g. CUDNN_FMA_MATH unknown to an early cuDNN 8

            var perf = stackalloc CudnnAlgoPerf[AlgoQueryCount];
            int n = 0, st = dir switch
            {
                DirForward => d.cudnnGetConvolutionForwardAlgorithm_v7(dnnHandle, p.X, p.W, conv, p.Y, AlgoQueryCount, &n, perf),
                DirBackwardData => d.cudnnGetConvolutionBackwardDataAlgorithm_v7(dnnHandle, p.W, p.Y, conv, p.X, AlgoQueryCount, &n, perf),
                _ => d.cudnnGetConvolutionBackwardFilterAlgorithm_v7(dnnHandle, p.X, p.Y, conv, p.W, AlgoQueryCount, &n, perf),
            };
            if (st != 0) return null;
            int chosen = ChooseAlgorithm(new ReadOnlySpan<CudnnAlgoPerf>(perf, Math.Min(n, AlgoQueryCount)), math, CudnnWorkspaceBytes);
            if (chosen < 0) return null;
            // cuDNN's advice: run the algorithm under the math type the heuristic reported for it (FMA stays FMA)
            if (math != Cudnn.CUDNN_FMA_MATH) d.Check(d.cudnnSetConvolutionMathType(conv, perf[chosen].MathType));
            p.Algo = perf[chosen].Algo;
            nuint ws;
            st = dir switch
            {
                DirForward => d.cudnnGetConvolutionForwardWorkspaceSize(dnnHandle, p.X, p.W, conv, p.Y, p.Algo, &ws),
                DirBackwardData => d.cudnnGetConvolutionBackwardDataWorkspaceSize(dnnHandle, p.W, p.Y, conv, p.X, p.Algo, &ws),
                _ => d.cudnnGetConvolutionBackwardFilterWorkspaceSize(dnnHandle, p.X, p.Y, conv, p.W, p.Algo, &ws),
            };
            if (st != 0 || (long)ws > CudnnWorkspaceBytes) return null;
            p.WorkspaceBytes = ws;
            ok = true;
            return p;
        }
        finally
        {
            if (!ok) Destroy(d, p);
        }
    }

    /// <summary>The index of the algorithm to use among the heuristic's answers (best first): status success, workspace
    /// within the limit, no tensor-core math under CUDNN_FMA_MATH; a deterministic one if any qualifies. −1 when none.</summary>
    internal static int ChooseAlgorithm(ReadOnlySpan<CudnnAlgoPerf> perf, int math, long workspaceLimit)
    {
        int any = -1;
        for (int i = 0; i < perf.Length; i++)
        {
            var a = perf[i];
            if (a.Status != 0 || (long)a.Memory > workspaceLimit) continue;
            if (math == Cudnn.CUDNN_FMA_MATH && a.MathType is Cudnn.CUDNN_TENSOR_OP_MATH or Cudnn.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
            if (a.Determinism == Cudnn.CUDNN_DETERMINISTIC) return i;
            if (any < 0) any = i;
        }
        return any;
    }

    private static nint TensorDescriptor(Cudnn d, int dt, int n, int c, int l)
    {
        nint desc;
        d.Check(d.cudnnCreateTensorDescriptor(&desc));
        int* dims = stackalloc int[] { n, c, 1, l };
        int* strides = stackalloc int[] { c * l, l, l, 1 };
        d.Check(d.cudnnSetTensorNdDescriptor(desc, dt, 4, dims, strides));
        return desc;
    }

    private static void Destroy(Cudnn d, CudnnPlan p)
    {
        if (p.X != 0) d.cudnnDestroyTensorDescriptor(p.X);
        if (p.Y != 0) d.cudnnDestroyTensorDescriptor(p.Y);
        if (p.Bias != 0) d.cudnnDestroyTensorDescriptor(p.Bias);
        if (p.W != 0) d.cudnnDestroyFilterDescriptor(p.W);
        if (p.Conv != 0) d.cudnnDestroyConvolutionDescriptor(p.Conv);
    }

    /// <summary>y = conv1d(x, w) (+ bias) by cuDNN (=); false when the geometry takes the im2col path.</summary>
    private bool CudnnForward(in Conv1dGeometry g, DType t, DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y)
    {
        if (Plan(g, t, DirForward) is not { } p) return false;
        var d = dnn!;
        using var ws = Workspace(p.WorkspaceBytes);
        var (a1, b0) = CudnnScale(t);
        void* one = (void*)a1, zero = (void*)b0;
        Dev.MakeCurrent();
        Dev.Counters.Launch();
        d.Check(d.cudnnConvolutionForward(dnnHandle, one, p.X, Cu(x).Pointer, p.W, Cu(w).Pointer, p.Conv, p.Algo,
            Cu(ws).Pointer, p.WorkspaceBytes, zero, p.Y, Cu(y).Pointer));
        if (bias != null)
        {
            Dev.Counters.Launch();
            d.Check(d.cudnnAddTensor(dnnHandle, one, p.Bias, Cu(bias).Pointer, one, p.Y, Cu(y).Pointer));  // y = 1·bias + 1·y
        }
        Interlocked.Increment(ref CudnnConvolutions);
        return true;
    }

    /// <summary>gx = conv_transpose(gy, w) by cuDNN's backward-data (=); false when the geometry takes the im2col path.</summary>
    private bool CudnnBackwardData(in Conv1dGeometry g, DType t, DeviceBuffer gy, DeviceBuffer w, DeviceBuffer gx)
    {
        if (Plan(g, t, DirBackwardData) is not { } p) return false;
        var d = dnn!;
        using var ws = Workspace(p.WorkspaceBytes);
        var (a1, b0) = CudnnScale(t);
        void* one = (void*)a1, zero = (void*)b0;
        Dev.MakeCurrent();
        Dev.Counters.Launch();
        d.Check(d.cudnnConvolutionBackwardData(dnnHandle, one, p.W, Cu(w).Pointer, p.Y, Cu(gy).Pointer, p.Conv, p.Algo,
            Cu(ws).Pointer, p.WorkspaceBytes, zero, p.X, Cu(gx).Pointer));
        Interlocked.Increment(ref CudnnConvolutions);
        return true;
    }

    /// <summary>gw = Σ_b gy_b ⋆ x_b by cuDNN's backward-filter (=, β = 0); false when the geometry takes the im2col path.</summary>
    private bool CudnnBackwardWeight(in Conv1dGeometry g, DType t, DeviceBuffer x, DeviceBuffer gy, DeviceBuffer gw)
    {
        if (Plan(g, t, DirBackwardWeight) is not { } p) return false;
        var d = dnn!;
        using var ws = Workspace(p.WorkspaceBytes);
        var (a1, b0) = CudnnScale(t);
        void* one = (void*)a1, zero = (void*)b0;
        Dev.MakeCurrent();
        Dev.Counters.Launch();
        d.Check(d.cudnnConvolutionBackwardFilter(dnnHandle, one, p.X, Cu(x).Pointer, p.Y, Cu(gy).Pointer, p.Conv, p.Algo,
            Cu(ws).Pointer, p.WorkspaceBytes, zero, p.W, Cu(gw).Pointer));
        Interlocked.Increment(ref CudnnConvolutions);
        return true;
    }

    // cuDNN's host scaling factors α = 1, β = 0: double for double data, float otherwise (in native memory for good)
    private static readonly nint ScaleFactors = NewScaleFactors();

    private static nint NewScaleFactors()
    {
        var p = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(24);
        *(float*)p = 1;
        *(float*)(p + 4) = 0;
        *(double*)(p + 8) = 1;
        *(double*)(p + 16) = 0;
        return (nint)p;
    }

    private static (nint One, nint Zero) CudnnScale(DType t) =>
        t == DType.Float64 ? (ScaleFactors + 8, ScaleFactors + 16) : (ScaleFactors, ScaleFactors + 4);

    /// <summary>A workspace of at least <paramref name="bytes"/> from the caching allocator (float32 elements).</summary>
    private DeviceBuffer Workspace(nuint bytes) => Allocate(DType.Float32, checked((int)(((long)bytes + 3) / 4)));
}
