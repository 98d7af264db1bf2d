// Force-included before every .cu compiled for the CPU simulator (g++ -include shim.h).
// Turns CUDA C++ into host C++: qualifiers vanish, built-in indices read the running fiber's state,
// barriers and warp operations switch fibers (see runtime.cpp). Keep the set of built-ins in step with
// what NVRTC accepts: everything here must also compile under NVRTC without this header.
#pragma once
#include <math.h>
#include <stddef.h>
#include <string.h>

#ifdef CUDASIM_NAMES_PASS
#define __global__ __cudasim_kernel__
#else
#define __global__
#endif
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __align__(n) alignas(n)
#define __shared__ static thread_local
#define __constant__ static

struct uint3 { unsigned int x, y, z; };
struct dim3 { unsigned int x, y, z; };

namespace cudasim {
struct BlockIndex { uint3 tIdx, bIdx; dim3 bDim, gDim; };
extern thread_local BlockIndex idx;
void syncthreads();
void syncwarp();
void* dyn_smem();
unsigned long long exchange(unsigned long long bits, int srcLane);  // warp exchange: returns srcLane's bits
int lane();

template <class T> inline T shfl_from(T v, int src, bool valid) {
    static_assert(sizeof(T) <= 8, "shuffle of more than 8 bytes");
    unsigned long long bits = 0;
    memcpy(&bits, &v, sizeof(T));
    unsigned long long got = exchange(bits, valid ? src : lane());
    T r;
    memcpy(&r, &got, sizeof(T));
    return r;
}
}  // namespace cudasim

#define threadIdx (cudasim::idx.tIdx)
#define blockIdx (cudasim::idx.bIdx)
#define blockDim (cudasim::idx.bDim)
#define gridDim (cudasim::idx.gDim)
static const int warpSize = 32;

inline void __syncthreads() { cudasim::syncthreads(); }
inline void __syncwarp(unsigned int = 0xffffffffu) { cudasim::syncwarp(); }
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

template <class T> inline T __shfl_sync(unsigned int, T v, int src, int width = 32) {
    int l = cudasim::lane();
    return cudasim::shfl_from(v, (l / width) * width + (src % width), true);
}
template <class T> inline T __shfl_down_sync(unsigned int, T v, unsigned int d, int width = 32) {
    int l = cudasim::lane();
    return cudasim::shfl_from(v, l + (int)d, (l % width) + (int)d < width);
}
template <class T> inline T __shfl_up_sync(unsigned int, T v, unsigned int d, int width = 32) {
    int l = cudasim::lane();
    return cudasim::shfl_from(v, l - (int)d, (l % width) >= (int)d);
}
template <class T> inline T __shfl_xor_sync(unsigned int, T v, int m, int width = 32) {
    int l = cudasim::lane();
    int s = l ^ m;
    return cudasim::shfl_from(v, s, s / width == l / width);
}

// Atomics: real atomics (blocks may run on several OS threads).
template <class T> inline T cudasim_atomic_cas_add(T* p, T v) {
    T old = *p;
    for (;;) {
        T want = old + v;
        if (__atomic_compare_exchange(p, &old, &want, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return old;
    }
}
inline float atomicAdd(float* p, float v) { return cudasim_atomic_cas_add(p, v); }
inline double atomicAdd(double* p, double v) { return cudasim_atomic_cas_add(p, v); }
inline int atomicAdd(int* p, int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
inline int atomicMax(int* p, int v) { int o = *p; while (o < v && !__atomic_compare_exchange_n(p, &o, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {} return o; }
inline int atomicMin(int* p, int v) { int o = *p; while (o > v && !__atomic_compare_exchange_n(p, &o, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {} return o; }
inline int atomicCAS(int* p, int c, int v) { __atomic_compare_exchange_n(p, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return c; }
inline unsigned int atomicCAS(unsigned int* p, unsigned int c, unsigned int v) { __atomic_compare_exchange_n(p, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return c; }
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long c, unsigned long long v) { __atomic_compare_exchange_n(p, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return c; }
inline int atomicExch(int* p, int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }

// Intrinsics. glibc declares but does not export __expf and friends: map them to the plain functions.
#define __expf expf
#define __logf logf
#define __sinf sinf
#define __cosf cosf
#define __powf powf
#define __fdividef(a, b) ((a) / (b))
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }
inline unsigned int __umulhi(unsigned int a, unsigned int b) { return (unsigned int)(((unsigned long long)a * b) >> 32); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) { return (unsigned long long)(((unsigned __int128)a * b) >> 64); }
inline int __float_as_int(float f) { int i; memcpy(&i, &f, 4); return i; }
inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
inline unsigned int __float_as_uint(float f) { unsigned int i; memcpy(&i, &f, 4); return i; }
inline float __uint_as_float(unsigned int i) { float f; memcpy(&f, &i, 4); return f; }
inline long long __double_as_longlong(double d) { long long i; memcpy(&i, &d, 8); return i; }
inline double __longlong_as_double(long long i) { double d; memcpy(&d, &i, 8); return d; }
template <class T> inline T __ldg(const T* p) { return *p; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned int min(unsigned int a, unsigned int b) { return a < b ? a : b; }
inline unsigned int max(unsigned int a, unsigned int b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }
