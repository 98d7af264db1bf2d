// Fused kernels: each replaces a chain of primitives where a measurement or a launch count says it pays.
// Semantics (and scalar twins): src/Kernels/Reference/RefKernels.Fused.cs.
//
// adam_step_multi_<dtype>: the adam_step update (optim.cu, same arithmetic per element) over many tensors in one launch.
//   table: 5 u64 per tensor {p, m, v, vmax, count} (vmax = v when amsgrad == 0); grads: one u64 per tensor (g, apart
//   so that new gradient buffers cost one small upload); chunks: one u64 per chunk {tensor << 32 | start}: elements
//   [start, min(start + chunk, count)) of that tensor. Blocks stride over the chunks.
// bias_leaky_relu_fwd_<dtype>: y = leaky(x + bias[c]) over contiguous [outer, channels, inner] (=).
// per_example_norm_fwd_<dtype>: y[r] = sqrt((T)Σ_j x[r, j]² + eps) over rows of n (=); double accumulation, one block
//   per row (grid-stride over rows), launched with blockDim a multiple of 32 and (blockDim / 32) * 8 bytes of dynamic
//   shared memory. The sum is rounded to T before eps is added, as sum_squares + add_scalar + sqrt do.
#include "common.cuh"

template <class T>
__device__ void adam_multi(const u64* __restrict__ table, const u64* __restrict__ grads, const u64* __restrict__ chunks, int nchunks,
                           int chunk, int amsgrad, T wd, T b1c, T b2, T b2c, T step, T bc2, T eps) {
    for (int c = blockIdx.x; c < nchunks; c += gridDim.x) {
        const u64 e = chunks[c];
        const u64* t = table + 5 * (e >> 32);
        T* p = (T*)t[0];
        const T* g = (const T*)grads[e >> 32];
        T* m = (T*)t[1];
        T* v = (T*)t[2];
        T* vmax = (T*)t[3];
        const i64 start = (i64)(e & 0xffffffffULL), n = (i64)t[4];
        const i64 end = start + chunk < n ? start + chunk : n;
        for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) {
            T pi = p[i];
            T gi = g[i] + wd * pi;
            T mi = m[i];
            mi += b1c * (gi - mi);
            T vi = b2 * v[i] + b2c * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            if (amsgrad) {
                vi = ga_max(vmax[i], vi);
                vmax[i] = vi;
            }
            p[i] = pi - step * (mi / (ga_sqrt(vi) / bc2 + eps));
        }
    }
}

template <class T>
__device__ void bias_leaky(const T* __restrict__ x, const T* __restrict__ bias, T* __restrict__ y, i64 n, int channels, int inner, T alpha) {
    GA_FOR(i, n) {
        T z = x[i] + bias[(i / inner) % channels];
        y[i] = z > T(0) ? z : alpha * z;
    }
}

// Sum over the block in double; valid in thread 0; ends with a barrier so it may be called in a loop.
__device__ double fused_block_sum(double v) {
    extern __shared__ double fused_warp_parts[];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;
    for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
    if (lane == 0) fused_warp_parts[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < nwarps ? fused_warp_parts[lane] : 0.0;
        for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
    }
    __syncthreads();
    return v;
}

template <class T>
__device__ void per_example_norm(const T* __restrict__ x, T* __restrict__ y, int rows, int n, T eps) {
    for (i64 r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* xr = x + r * n;
        double acc = 0.0;
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            double v = (double)xr[j];
            acc += v * v;
        }
        acc = fused_block_sum(acc);
        if (threadIdx.x == 0) y[r] = ga_sqrt((T)acc + eps);
    }
}

#define GA_FUSED(T, suffix)                                                                                              \
    KERNEL void adam_step_multi_##suffix(const u64* table, const u64* grads, const u64* chunks, int nchunks, int chunk,   \
                                         int amsgrad, T wd, T b1c, T b2, T b2c, T step, T bc2, T eps) {                  \
        adam_multi<T>(table, grads, chunks, nchunks, chunk, amsgrad, wd, b1c, b2, b2c, step, bc2, eps);                 \
    }                                                                                                                    \
    KERNEL void bias_leaky_relu_fwd_##suffix(const T* x, const T* bias, T* y, i64 n, int channels, int inner, T alpha) {  \
        bias_leaky<T>(x, bias, y, n, channels, inner, alpha);                                                            \
    }                                                                                                                    \
    KERNEL void per_example_norm_fwd_##suffix(const T* x, T* y, int rows, int n, T eps) { per_example_norm<T>(x, y, rows, n, eps); }

GA_FUSED(float, f32)
GA_FUSED(double, f64)
