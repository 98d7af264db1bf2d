// Elementwise kernels: every UnaryOp (y = op(x), contiguous) and BinaryOp (strided, broadcast by stride 0).
// Forward kernels <op>_fwd_<dtype> write y (=). The *_bwd kernels are the fused backward kernels of unary ops:
// a = forward input (output for tanh/sigmoid), b = upstream gradient; they write the input gradient (=).
// Semantics: src/Kernels/Reference/ScalarOps.cs.
#include "common.cuh"

#define GA_UNARY(name, expr)                                                                                   \
    template <class T> __device__ __forceinline__ T un_##name(T x, T a, T b) { return (expr); }               \
    KERNEL void name##_fwd_f32(const float* __restrict__ x, float* __restrict__ y, i64 n, float a, float b) { \
        GA_FOR(i, n) y[i] = un_##name<float>(x[i], a, b);                                                      \
    }                                                                                                          \
    KERNEL void name##_fwd_f64(const double* __restrict__ x, double* __restrict__ y, i64 n, double a, double b) { \
        GA_FOR(i, n) y[i] = un_##name<double>(x[i], a, b);                                                     \
    }

GA_UNARY(neg, -x)
GA_UNARY(abs, ga_abs(x))
GA_UNARY(exp, ga_exp(x))
GA_UNARY(log, ga_log(x))
GA_UNARY(sqrt, ga_sqrt(x))
GA_UNARY(square, x * x)
GA_UNARY(tanh, ga_tanh(x))
GA_UNARY(sigmoid, T(1) / (T(1) + ga_exp(-x)))
GA_UNARY(relu, x > T(0) ? x : T(0))
GA_UNARY(leaky_relu, x > T(0) ? x : a * x)
GA_UNARY(pow_scalar, ga_pow(x, a))  // UnaryOp.Pow: pow_fwd is the binary op's symbol
GA_UNARY(clamp, ga_min(ga_max(x, a), b))
GA_UNARY(add_scalar, x + a)
GA_UNARY(mul_scalar, x * a)
GA_UNARY(r_sub_scalar, a - x)
GA_UNARY(r_div_scalar, a / x)
GA_UNARY(maximum_scalar, ga_max(x, a))
GA_UNARY(minimum_scalar, ga_min(x, a))
GA_UNARY(sign, x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0))
GA_UNARY(sin, ga_sin(x))
GA_UNARY(cos, ga_cos(x))

// y[i] = op(a[offA(i)], b[offB(i)]); rank 1 (after the host merged contiguous dimensions) takes the fast path.
#define GA_BINARY_KERNEL(sym, fn, T)                                                                           \
    KERNEL void sym(const T* __restrict__ a, const T* __restrict__ b, T* __restrict__ y, i64 n, TwoOperandLayout s, T p0, T p1) { \
        if (s.rank == 1) {                                                                                     \
            const int sa = s.sa[0], sb = s.sb[0];                                                              \
            GA_FOR(i, n) y[i] = fn<T>(a[i * sa], b[i * sb], p0, p1);                                           \
        } else {                                                                                               \
            GA_FOR(i, n) {                                                                                     \
                i64 oa, ob;                                                                                    \
                ga_offsets(s, i, oa, ob);                                                                      \
                y[i] = fn<T>(a[oa], b[ob], p0, p1);                                                            \
            }                                                                                                  \
        }                                                                                                      \
    }

#define GA_BINARY(name, dir, expr)                                                                             \
    template <class T> __device__ __forceinline__ T bin_##name##_##dir(T x, T y, T p0, T p1) { return (expr); } \
    GA_BINARY_KERNEL(name##_##dir##_f32, bin_##name##_##dir, float)                                            \
    GA_BINARY_KERNEL(name##_##dir##_f64, bin_##name##_##dir, double)

GA_BINARY(add, fwd, x + y)
GA_BINARY(sub, fwd, x - y)
GA_BINARY(mul, fwd, x * y)
GA_BINARY(div, fwd, x / y)
GA_BINARY(maximum, fwd, ga_max(x, y))
GA_BINARY(minimum, fwd, ga_min(x, y))
GA_BINARY(pow, fwd, ga_pow(x, y))
GA_BINARY(eq, fwd, x == y ? T(1) : T(0))
GA_BINARY(gt, fwd, x > y ? T(1) : T(0))
GA_BINARY(ge, fwd, x >= y ? T(1) : T(0))

GA_BINARY(relu, bwd, x > T(0) ? y : T(0))
GA_BINARY(leaky_relu, bwd, x > T(0) ? y : p0 * y)
GA_BINARY(tanh, bwd, y * (T(1) - x * x))
GA_BINARY(sigmoid, bwd, y * x * (T(1) - x))
GA_BINARY(clamp, bwd, x >= p0 && x <= p1 ? y : T(0))
GA_BINARY(abs, bwd, x > T(0) ? y : x < T(0) ? -y : T(0))
