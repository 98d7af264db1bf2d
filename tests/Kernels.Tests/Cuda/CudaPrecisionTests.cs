using GanAudio.Kernels.Cuda;
using GanAudio.Kernels.Cuda.Native;

namespace GanAudio.Kernels.Tests.Cuda;

/// <summary>TF32 (CudaBackend.Precision): the math modes the backend gives cuBLAS and cuDNN on sm_80+ and below, with
/// tf32 and fp32. The simulator's stand-in cuBLAS records the mode (cublasGetMathMode reads it back) but computes with
/// double accumulators whatever the mode, so no result here depends on it.</summary>
public class CudaPrecisionTests
{
    [Theory]
    [InlineData(MathPrecision.Tf32, 80, Cublas.CUBLAS_TF32_TENSOR_OP_MATH)]
    [InlineData(MathPrecision.Tf32, 90, Cublas.CUBLAS_TF32_TENSOR_OP_MATH)]
    [InlineData(MathPrecision.Tf32, 75, Cublas.CUBLAS_DEFAULT_MATH)]
    [InlineData(MathPrecision.Fp32, 80, Cublas.CUBLAS_DEFAULT_MATH)]
    [InlineData(MathPrecision.Fp32, 75, Cublas.CUBLAS_DEFAULT_MATH)]
    public void CublasMathModeIsTf32OnlyOnAmpereAndNewer(MathPrecision p, int cc, int mode) =>
        Assert.Equal(mode, CudaBackend.CublasMathModeFor(p, cc));

    [Theory]
    [InlineData(MathPrecision.Tf32, 80, DType.Float32, Cudnn.CUDNN_DEFAULT_MATH)]
    [InlineData(MathPrecision.Tf32, 75, DType.Float32, Cudnn.CUDNN_FMA_MATH)]
    [InlineData(MathPrecision.Fp32, 90, DType.Float32, Cudnn.CUDNN_FMA_MATH)]
    [InlineData(MathPrecision.Tf32, 80, DType.Float64, Cudnn.CUDNN_DEFAULT_MATH)]
    [InlineData(MathPrecision.Fp32, 80, DType.Float64, Cudnn.CUDNN_DEFAULT_MATH)]
    public void CudnnMathTypeIsFmaUnlessTf32IsAllowed(MathPrecision p, int cc, DType t, int math) =>
        Assert.Equal(math, CudaBackend.CudnnMathTypeFor(p, cc, t));

    /// <summary>The backend's cuBLAS handle carries the mode: set at creation from Precision and changed with it.</summary>
    [Fact]
    public void CublasHandleFollowsPrecision()
    {
        var be = CudaTestEnvironment.Get();
        var saved = be.Precision;
        try
        {
            be.Precision = MathPrecision.Tf32;
            int tf32 = be.ComputeCapability >= 80 ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH;
            Assert.Equal(tf32, be.CublasMathMode);
            Assert.Equal(be.ComputeCapability >= 80, be.Tf32Active);
            be.Precision = MathPrecision.Fp32;
            Assert.Equal(Cublas.CUBLAS_DEFAULT_MATH, be.CublasMathMode);
            Assert.False(be.Tf32Active);
        }
        finally
        {
            be.Precision = saved;
        }
    }

    /// <summary>On the simulator at sm_80 (its default) and at sm_75 (a fresh backend opened with the stand-in driver's
    /// compute-capability override): tf32 sets CUBLAS_TF32_TENSOR_OP_MATH only on sm_80; fp32 never does.</summary>
    [Theory]
    [InlineData(80)]
    [InlineData(75)]
    public unsafe void SimulatedDeviceOfEachArchitectureGetsItsMode(int cc)
    {
        CudaTestEnvironment.GetSimulator();
        var drv = CuDriver.Load(CudaTestEnvironment.SimulatorSearch);
        Assert.SkipWhen(drv.cudasimSetComputeCapability == null, "the simulator build predates cudasimSetComputeCapability");
        drv.cudasimSetComputeCapability(cc);
        try
        {
            var be = CudaBackend.Create(new CudaOptions(Search: CudaTestEnvironment.SimulatorSearch));
            Assert.Equal(cc, be.ComputeCapability);
            Assert.Equal(MathPrecision.Fp32, be.Precision);  // a bare backend is full fp32
            Assert.Equal(Cublas.CUBLAS_DEFAULT_MATH, be.CublasMathMode);
            be.Precision = MathPrecision.Tf32;
            Assert.Equal(cc >= 80 ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH, be.CublasMathMode);
            be.Precision = MathPrecision.Fp32;
            Assert.Equal(Cublas.CUBLAS_DEFAULT_MATH, be.CublasMathMode);
        }
        finally
        {
            drv.cudasimSetComputeCapability(-1);
        }
    }
}
