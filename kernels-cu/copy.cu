// Strided gather with dtype conversion (copy_<src>_<dst>), strided gather + scatter (copy_strided_<src>_<dst>),
// fill and arange. All write their output (=).
#include "common.cuh"

// y[i] = (D)x[offA(i)] over the logical shape (only s.sa is used); rank 1 takes the fast path.
#define GA_COPY(S, D, sname, dname)                                                                            \
    KERNEL void copy_##sname##_##dname(const S* __restrict__ x, D* __restrict__ y, i64 n, TwoOperandLayout s) {       \
        if (s.rank == 1) {                                                                                     \
            const int sa = s.sa[0];                                                                            \
            GA_FOR(i, n) y[i] = (D)x[i * sa];                                                                  \
        } else {                                                                                               \
            GA_FOR(i, n) {                                                                                     \
                i64 oa, ob;                                                                                    \
                ga_offsets(s, i, oa, ob);                                                                      \
                y[i] = (D)x[oa];                                                                               \
            }                                                                                                  \
        }                                                                                                      \
    }

GA_COPY(float, float, f32, f32)
GA_COPY(float, double, f32, f64)
GA_COPY(double, float, f64, f32)
GA_COPY(double, double, f64, f64)

// copy_strided_<src>_<dst> (=): y[offB(i)] = (D)x[offA(i)] over the logical shape: a strided gather from x and a strided
// scatter into y in one launch (s.sa are x's strides, s.sb y's). Destination elements must not overlap.
#define GA_COPY_STRIDED(S, D, sname, dname)                                                                    \
    KERNEL void copy_strided_##sname##_##dname(const S* __restrict__ x, D* __restrict__ y, i64 n, TwoOperandLayout s) { \
        if (s.rank == 1) {                                                                                     \
            const int sa = s.sa[0], sb = s.sb[0];                                                              \
            GA_FOR(i, n) y[i * sb] = (D)x[i * sa];                                                             \
        } else {                                                                                               \
            GA_FOR(i, n) {                                                                                     \
                i64 oa, ob;                                                                                    \
                ga_offsets(s, i, oa, ob);                                                                      \
                y[ob] = (D)x[oa];                                                                              \
            }                                                                                                  \
        }                                                                                                      \
    }

GA_COPY_STRIDED(float, float, f32, f32)
GA_COPY_STRIDED(float, double, f32, f64)
GA_COPY_STRIDED(double, float, f64, f32)
GA_COPY_STRIDED(double, double, f64, f64)

KERNEL void fill_f32(float* y, i64 n, float v) { GA_FOR(i, n) y[i] = v; }
KERNEL void fill_f64(double* y, i64 n, double v) { GA_FOR(i, n) y[i] = v; }

// y[i] = start + i·step, computed in double (as the CPU backend does) and rounded once.
KERNEL void arange_f32(float* y, i64 n, double start, double step) { GA_FOR(i, n) y[i] = (float)(start + (double)i * step); }
KERNEL void arange_f64(double* y, i64 n, double start, double step) { GA_FOR(i, n) y[i] = start + (double)i * step; }
