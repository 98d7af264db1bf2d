// Test-only kernels (not part of the backend): a neighbour sum through shared memory, once with the barrier
// between the stores and the loads and once without. Forward thread order hides the missing barrier (every
// thread t−1 has stored before thread t loads); reversed and shuffled orders expose it.
// y[t] = x[t] + x[t − 1] (x[−1] = 0) within each block of blockDim.x elements; n = gridDim.x · blockDim.x.
// Launch with blockDim.x · 4 bytes of dynamic shared memory.
#include "common.cuh"

KERNEL void neighbour_sum_synced_f32(const float* x, float* y) {
    extern __shared__ float probe_tile[];
    const int t = threadIdx.x;
    const i64 g = (i64)blockIdx.x * blockDim.x + t;
    probe_tile[t] = x[g];
    __syncthreads();
    y[g] = probe_tile[t] + (t > 0 ? probe_tile[t - 1] : 0.0f);
}

KERNEL void neighbour_sum_unsynced_f32(const float* x, float* y) {
    extern __shared__ float probe_tile[];
    const int t = threadIdx.x;
    const i64 g = (i64)blockIdx.x * blockDim.x + t;
    probe_tile[t] = x[g];
    // BUG on purpose: no __syncthreads() here.
    y[g] = probe_tile[t] + (t > 0 ? probe_tile[t - 1] : 0.0f);
}
