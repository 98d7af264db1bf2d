// WaveGAN's phase shuffle, forward (=) and its adjoint (=), over contiguous [rows = nb·channels, length] with one
// shift per example passed by value (a chunk of up to GA_PS_CHUNK examples per launch, so no upload and no host sync).
// refl(j) = −j for j < 0, 2(length − 1) − j for j ≥ length, else j; every |s| < length (checked by the host).
#include "common.cuh"

#define GA_PS_CHUNK 48

struct PhaseShifts {
    int s[GA_PS_CHUNK];
};

// y[r, t] = x[r, refl(t − s[r / channels])]: a coalesced shifted copy except |s| edge samples per row.
template <class T>
__device__ __forceinline__ void ga_phase_shuffle_fwd(const T* __restrict__ x, T* __restrict__ y, int n, int channels, int length,
                                                     const PhaseShifts& sh) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        int r = i / length, t = i - r * length;
        int j = t - sh.s[r / channels];
        j = j < 0 ? -j : (j >= length ? 2 * (length - 1) - j : j);
        y[i] = x[r * length + j];
    }
}

// gx[r, i] = (0 + gy[r, i + s]) + gy[r, s − i] (1 ≤ i ≤ s) or + gy[r, 2(length − 1) − i + s] (length − 1 + s ≤ i ≤ length − 2),
// each term only where its index lies in [0, length): a gather per source index (no atomics), the same sum and order
// as the CPU backend and the reference, so the bits agree.
template <class T>
__device__ __forceinline__ void ga_phase_shuffle_bwd(const T* __restrict__ gy, T* __restrict__ gx, int n, int channels, int length,
                                                     const PhaseShifts& sh) {
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < n; k += blockDim.x * gridDim.x) {
        int r = k / length, i = k - r * length;
        int s = sh.s[r / channels];
        const T* g = gy + r * length;
        T acc = (T)0;
        int d = i + s;
        if (d >= 0 && d < length) acc = acc + g[d];
        if (s > 0 && i >= 1 && i <= s) acc = acc + g[s - i];
        if (s < 0 && i >= length - 1 + s && i <= length - 2) acc = acc + g[2 * (length - 1) - i + s];
        gx[k] = acc;
    }
}

KERNEL void phase_shuffle_fwd_f32(const float* x, float* y, int n, int channels, int length, PhaseShifts sh) {
    ga_phase_shuffle_fwd(x, y, n, channels, length, sh);
}
KERNEL void phase_shuffle_bwd_f32(const float* gy, float* gx, int n, int channels, int length, PhaseShifts sh) {
    ga_phase_shuffle_bwd(gy, gx, n, channels, length, sh);
}
KERNEL void phase_shuffle_fwd_f64(const double* x, double* y, int n, int channels, int length, PhaseShifts sh) {
    ga_phase_shuffle_fwd(x, y, n, channels, length, sh);
}
KERNEL void phase_shuffle_bwd_f64(const double* gy, double* gx, int n, int channels, int length, PhaseShifts sh) {
    ga_phase_shuffle_bwd(gy, gx, n, channels, length, sh);
}
