// Shared by every kernels-cu/*.cu (passed to NVRTC as a header, found by g++ through -I for the simulator).
// NVRTC has no standard headers: constants and types are defined here from built-ins only.
#pragma once

typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

#define KERNEL extern "C" __global__

#define GA_MAX_RANK 8

// A logical shape with the element strides of up to two operands (pointers already include the offsets).
struct TwoOperandLayout {
    int rank;
    int shape[GA_MAX_RANK];
    int sa[GA_MAX_RANK];
    int sb[GA_MAX_RANK];
};

__device__ __forceinline__ float ga_inf_f32() { return __int_as_float(0x7f800000); }
__device__ __forceinline__ double ga_inf_f64() { return __longlong_as_double(0x7ff0000000000000LL); }
__device__ __forceinline__ float ga_nan_f32() { return __int_as_float(0x7fc00000); }
__device__ __forceinline__ double ga_nan_f64() { return __longlong_as_double(0x7ff8000000000000LL); }

// Grid-stride loop over [0, n).
#define GA_FOR(i, n) for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)

// Element offsets of logical index `linear` in operands a and b.
__device__ __forceinline__ void ga_offsets(const TwoOperandLayout& s, i64 linear, i64& oa, i64& ob) {
    oa = 0;
    ob = 0;
    for (int d = s.rank - 1; d >= 0; d--) {
        i64 q = linear / s.shape[d];
        int idx = (int)(linear - q * s.shape[d]);
        linear = q;
        oa += (i64)idx * s.sa[d];
        ob += (i64)idx * s.sb[d];
    }
}

// max/min that propagate NaN, as .NET's Math.Max/Min do (fmaxf/fminf ignore NaN).
template <class T> __device__ __forceinline__ T ga_max(T a, T b) { return a != a ? a : b != b ? b : (a > b ? a : b); }
template <class T> __device__ __forceinline__ T ga_min(T a, T b) { return a != a ? a : b != b ? b : (a < b ? a : b); }

// Math by overload so one template body serves float and double.
__device__ __forceinline__ float ga_exp(float x) { return expf(x); }
__device__ __forceinline__ double ga_exp(double x) { return exp(x); }
__device__ __forceinline__ float ga_log(float x) { return logf(x); }
__device__ __forceinline__ double ga_log(double x) { return log(x); }
__device__ __forceinline__ float ga_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double ga_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float ga_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double ga_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float ga_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double ga_pow(double x, double y) { return pow(x, y); }
__device__ __forceinline__ float ga_sin(float x) { return sinf(x); }
__device__ __forceinline__ double ga_sin(double x) { return sin(x); }
__device__ __forceinline__ float ga_cos(float x) { return cosf(x); }
__device__ __forceinline__ double ga_cos(double x) { return cos(x); }
__device__ __forceinline__ float ga_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double ga_abs(double x) { return fabs(x); }
