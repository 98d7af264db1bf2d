// Optimizer kernels. adam_step_<dtype>: the fused Adam update (torch.optim.Adam, single-tensor form), in place on
// p, m, v (and vmax when amsgrad != 0; vmax may alias v otherwise); reads g. Semantics: src/Kernels/Reference/RefKernels.cs AdamStep / AdamArgs.
#include "common.cuh"

#define GA_ADAM(T, suffix)                                                                                        \
    KERNEL void adam_step_##suffix(T* __restrict__ p, const T* __restrict__ g, T* __restrict__ m, T* v, \
                                   T* vmax, int amsgrad, i64 n, T wd, T b1c, T b2, T b2c, T step, T bc2, T eps) {    \
        GA_FOR(i, n) {                                                                                            \
            T pi = p[i];                                                                                          \
            T gi = g[i] + wd * pi;                                                                                \
            T mi = m[i];                                                                                          \
            mi += b1c * (gi - mi);                                                                                \
            T vi = b2 * v[i] + b2c * (gi * gi);                                                                   \
            m[i] = mi;                                                                                            \
            v[i] = vi;                                                                                            \
            if (amsgrad) {                                                                                           \
                vi = ga_max(vmax[i], vi);                                                                         \
                vmax[i] = vi;                                                                                     \
            }                                                                                                     \
            p[i] = pi - step * (mi / (ga_sqrt(vi) / bc2 + eps));                                                  \
        }                                                                                                         \
    }

GA_ADAM(float, f32)
GA_ADAM(double, f64)
