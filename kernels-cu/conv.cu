// Conv1d as im2col + GEMM (the GEMMs are cuBLAS calls made by the host), PyTorch layout:
// x [B, CIn, LIn], w [COut, CIn, K], y [B, COut, LOut], y[b,o,t] = Σ_c Σ_k w[o,c,k] · x[b, c, t·S + k − P] (+ bias[o]).
// The host processes the batch in chunks of nb samples so that col [nb, CIn·K, LOut] stays bounded; every index below
// fits in 32 bits (the host checks), which keeps the index math cheap.
//   forward:         col = im2col(x);  y_b = w[COut, CIn·K] · col_b;      bias: y += bias
//   backward-weight: colT = im2col(x) as [CIn·K, nb·LOut];  gw += gyT[COut, nb·LOut] · colTᵀ  (one GEMM per chunk,
//                    beta 0 for the first chunk, 1 after; gyT is gy's chunk permuted to [COut, nb, LOut])
//   backward-data:   gcol_b = wᵀ · gy_b;  gx = col2im(gcol)  (a gather per input element: no atomics)
#include "common.cuh"

// Grid-stride loop in 32-bit arithmetic; the host keeps n below 2^31 minus one grid.
#define GA_FOR32(i, n) for (int i = (int)(blockIdx.x * blockDim.x + threadIdx.x); i < (n); i += (int)(blockDim.x * gridDim.x))

// conv1d_im2col (=): col[b, c·K + k, t] = x[b, c, t·S + k − P], or 0 where that input position is padding.
// samplesInner = 0: col is [nb, CIn·K, LOut] (forward); 1: col is [CIn·K, nb, LOut] (weight gradient: samples join the
// GEMM's reduction axis).
template <class T>
__device__ void im2col(const T* __restrict__ x, T* __restrict__ col, int n, int nb, int cin, int lin, int lout, int k, int stride,
                       int pad, int samplesInner) {
    GA_FOR32(i, n) {
        int t = i % lout, r = i / lout;
        int b, row;
        if (samplesInner) {
            b = r % nb;
            row = r / nb;
        } else {
            b = r / (cin * k);
            row = r - b * (cin * k);
        }
        int kk = row % k, c = row / k;
        int s = t * stride + kk - pad;
        col[i] = (s >= 0 && s < lin) ? x[(b * cin + c) * lin + s] : (T)0;
    }
}

// conv1d_col2im (=): gx[b, c, s] = Σ over k ≡ (s + P) mod S, t = (s + P − k) / S in [0, LOut) of gcol[b, c·K + k, t].
// Input positions no output reads (LIn longer than needed) get 0.
template <class T>
__device__ void col2im(const T* __restrict__ gcol, T* __restrict__ gx, int n, int lin, int lout, int k, int stride, int pad) {
    GA_FOR32(i, n) {
        int s = i % lin, bc = i / lin;
        int sp = s + pad;
        const T* g = gcol + (i64)bc * k * lout;
        T acc = (T)0;
        int kmax = min(k - 1, sp);
        for (int kk = sp % stride; kk <= kmax; kk += stride) {
            int t = (sp - kk) / stride;
            if (t < lout) acc += g[kk * lout + t];
        }
        gx[i] = acc;
    }
}

// conv1d_bias (+=): y[b, o, t] += bias[o] over n = B·COut·LOut elements.
template <class T> __device__ void bias_add(T* __restrict__ y, const T* __restrict__ bias, int n, int cout, int lout) {
    GA_FOR32(i, n) y[i] += bias[(i / lout) % cout];
}

#define GA_CONV(T, sfx)                                                                                                 \
    KERNEL void conv1d_im2col_##sfx(const T* x, T* col, int n, int nb, int cin, int lin, int lout, int k, int stride,   \
                                    int pad, int samplesInner) {                                                        \
        im2col<T>(x, col, n, nb, cin, lin, lout, k, stride, pad, samplesInner);                                         \
    }                                                                                                                   \
    KERNEL void conv1d_col2im_##sfx(const T* gcol, T* gx, int n, int lin, int lout, int k, int stride, int pad) {        \
        col2im<T>(gcol, gx, n, lin, lout, k, stride, pad);                                                              \
    }                                                                                                                   \
    KERNEL void conv1d_bias_##sfx(T* y, const T* bias, int n, int cout, int lout) { bias_add<T>(y, bias, n, cout, lout); }

GA_CONV(float, f32)
GA_CONV(double, f64)
