// Reductions over the middle axis of a contiguous [outer, n, inner] buffer into y [outer, inner] (=).
// Accumulation is in double for both dtypes (the reference accumulates in double; the kernels are memory-bound).
// inner == 1: one block per row, block + warp-shuffle reduction; inner > 1: one thread per output column.
// Empty axis: sum 0, mean NaN, max −inf, min +inf. Launch with blockDim a multiple of 32 and
// (blockDim / 32) * 8 bytes of dynamic shared memory.
#include "common.cuh"

#define GA_R_SUM 0
#define GA_R_MEAN 1
#define GA_R_MAX 2
#define GA_R_MIN 3
#define GA_R_SUMSQ 4

template <int OP> __device__ __forceinline__ double red_init() {
    return OP == GA_R_MAX ? -ga_inf_f64() : OP == GA_R_MIN ? ga_inf_f64() : 0.0;
}
template <int OP> __device__ __forceinline__ double red_add(double acc, double v) {
    return OP == GA_R_MAX ? ga_max(acc, v) : OP == GA_R_MIN ? ga_min(acc, v) : OP == GA_R_SUMSQ ? acc + v * v : acc + v;
}
template <int OP> __device__ __forceinline__ double red_merge(double a, double b) {
    return OP == GA_R_MAX ? ga_max(a, b) : OP == GA_R_MIN ? ga_min(a, b) : a + b;
}
template <int OP> __device__ __forceinline__ double red_finish(double acc, int n) { return OP == GA_R_MEAN ? acc / n : acc; }

// Sum (or max/min) over the block; the result is valid in thread 0. Ends with a barrier, so it may be called in a loop.
template <int OP> __device__ double block_reduce(double v) {
    extern __shared__ double red_warp_parts[];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;
    for (int off = 16; off > 0; off >>= 1) v = red_merge<OP>(v, __shfl_down_sync(0xffffffffu, v, off));
    if (lane == 0) red_warp_parts[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < nwarps ? red_warp_parts[lane] : red_init<OP>();
        for (int off = 16; off > 0; off >>= 1) v = red_merge<OP>(v, __shfl_down_sync(0xffffffffu, v, off));
    }
    __syncthreads();
    return v;
}

template <int OP, class T> __device__ void reduce_axis(const T* __restrict__ x, T* __restrict__ y, int outer, int n, int inner) {
    if (inner == 1) {
        for (i64 row = blockIdx.x; row < outer; row += gridDim.x) {
            double acc = red_init<OP>();
            const T* xr = x + row * n;
            for (int j = threadIdx.x; j < n; j += blockDim.x) acc = red_add<OP>(acc, (double)xr[j]);
            acc = block_reduce<OP>(acc);
            if (threadIdx.x == 0) y[row] = (T)red_finish<OP>(acc, n);
        }
    } else {
        GA_FOR(c, (i64)outer * inner) {
            i64 o = c / inner, i = c - o * inner;
            const T* xc = x + o * n * inner + i;
            double acc = red_init<OP>();
            for (int j = 0; j < n; j++) acc = red_add<OP>(acc, (double)xc[(i64)j * inner]);
            y[c] = (T)red_finish<OP>(acc, n);
        }
    }
}

#define GA_REDUCE(name, OP)                                                                                     \
    KERNEL void name##_fwd_f32(const float* x, float* y, int outer, int n, int inner) { reduce_axis<OP, float>(x, y, outer, n, inner); } \
    KERNEL void name##_fwd_f64(const double* x, double* y, int outer, int n, int inner) { reduce_axis<OP, double>(x, y, outer, n, inner); }

GA_REDUCE(sum, GA_R_SUM)
GA_REDUCE(mean, GA_R_MEAN)
GA_REDUCE(max, GA_R_MAX)
GA_REDUCE(min, GA_R_MIN)
GA_REDUCE(sum_squares, GA_R_SUMSQ)
