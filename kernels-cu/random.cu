// Counter-based random numbers: Philox4x32-10, the same stream as src/Kernels/Philox.cs. Element i of a draw at
// stream offset o is lane (o + i) % 4 of block (o + i) / 4 under the 64-bit key `seed`. One thread computes one
// Philox block and writes the (up to) four elements that fall inside [o, o + n). Writes y (=).
#include "common.cuh"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
#define GA_TWO_PI 6.283185307179586476925
#define GA_INV_2POW32 2.3283064365386962890625e-10

__device__ __forceinline__ void philox_block(u64 counter, u64 key, u32 out[4]) {
    u32 c0 = (u32)counter, c1 = (u32)(counter >> 32), c2 = 0, c3 = 0;
    u32 k0 = (u32)key, k1 = (u32)(key >> 32);
#pragma unroll
    for (int r = 0; r < 10; r++) {
        u32 hi0 = __umulhi(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
        u32 hi1 = __umulhi(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
        u32 n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// Philox.Uniform: low + (high − low) · u · 2^-32, in double.
template <class T> __device__ void uniform_body(T* y, i64 n, u64 seed, u64 offset, double low, double high) {
    if (n <= 0) return;
    const u64 b0 = offset >> 2, nb = ((offset + (u64)n - 1) >> 2) - b0 + 1;
    GA_FOR(t, (i64)nb) {
        u32 r[4];
        const u64 blk = b0 + (u64)t;
        philox_block(blk, seed, r);
        for (int lane = 0; lane < 4; lane++) {
            const u64 pos = blk * 4 + lane;
            if (pos >= offset && pos < offset + (u64)n) y[pos - offset] = (T)(low + (high - low) * ((double)r[lane] * GA_INV_2POW32));
        }
    }
}

// Philox.Normal: Box–Muller over lane pairs (0,1) and (2,3); u1 = (a + 1)·2^-32 ∈ (0, 1], u2 = b·2^-32;
// even lanes r·cos θ, odd lanes r·sin θ; then mean + std·z, in double.
template <class T> __device__ void normal_body(T* y, i64 n, u64 seed, u64 offset, double mean, double stdev) {
    if (n <= 0) return;
    const u64 b0 = offset >> 2, nb = ((offset + (u64)n - 1) >> 2) - b0 + 1;
    GA_FOR(t, (i64)nb) {
        u32 r[4];
        const u64 blk = b0 + (u64)t;
        philox_block(blk, seed, r);
        for (int lane = 0; lane < 4; lane++) {
            const u64 pos = blk * 4 + lane;
            if (pos < offset || pos >= offset + (u64)n) continue;
            const int pair = lane & 2;
            const double u1 = ((double)r[pair] + 1.0) * GA_INV_2POW32, u2 = (double)r[pair + 1] * GA_INV_2POW32;
            const double rad = sqrt(-2.0 * log(u1)), th = GA_TWO_PI * u2;
            const double z = (lane & 1) == 0 ? rad * cos(th) : rad * sin(th);
            y[pos - offset] = (T)(mean + stdev * z);
        }
    }
}

KERNEL void random_uniform_f32(float* y, i64 n, u64 seed, u64 offset, double low, double high) { uniform_body<float>(y, n, seed, offset, low, high); }
KERNEL void random_uniform_f64(double* y, i64 n, u64 seed, u64 offset, double low, double high) { uniform_body<double>(y, n, seed, offset, low, high); }
KERNEL void random_normal_f32(float* y, i64 n, u64 seed, u64 offset, double mean, double stdev) { normal_body<float>(y, n, seed, offset, mean, stdev); }
KERNEL void random_normal_f64(double* y, i64 n, u64 seed, u64 offset, double mean, double stdev) { normal_body<double>(y, n, seed, offset, mean, stdev); }
