using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanAudio.Kernels.Cpu;

/// <summary>The Vector256 twin of VectorMath.Vector512.cs (same code, generated from one template by replacing the
/// vector type): used where AVX-512 is missing and for single tail elements.</summary>
internal static partial class VectorMath
{
    /// <summary>e^x per lane (float32). x = n·ln 2 + r with n = round(x·log2 e) and |r| ≤ ln 2 / 2 (Cody–Waite: ln 2 in
    /// two parts, the first exact in 9 bits), e^r = 1 + r + r²·P(r) with P of degree 5 (a Chebyshev fit of
    /// (e^r − 1 − r)/r²), then scaled by 2^n as two powers of two so that results down to the smallest subnormal
    /// round once. x is clamped to [−104, 89] first (e^x is 0 resp. +∞ beyond); NaN stays NaN; e^0 = 1 exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var xc = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(-104f)), Vector256.Create(89f));
        var n = Vector256.Round(xc * Vector256.Create(1.44269502f));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), xc);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194442e-4f), r);
        var p = Vector256.Create(1.989098091e-04f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.393364160e-03f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.333310485e-03f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.166646674e-02f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.666666716e-01f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var ni = Vector256.ConvertToInt32(n);
        var n1 = Vector256.ShiftRightArithmetic(ni, 1);
        var n2 = ni - n1;
        var s1 = Vector256.ShiftLeft(n1 + Vector256.Create(127), 23).AsSingle();
        var s2 = Vector256.ShiftLeft(n2 + Vector256.Create(127), 23).AsSingle();
        var y = p * s1 * s2;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    /// <summary>ln x per lane (float32). x = m·2^e with m in [√½, √2) (subnormal x scaled by 2^23 first), f = m − 1,
    /// ln(1 + f) = f − f²/2 + f³·Q(f) with Q of degree 8 (a Chebyshev fit of (ln(1 + f) − f + f²/2)/f³), plus e·ln 2
    /// in two parts. ln 0 = −∞, ln(+∞) = +∞, ln x = NaN for x &lt; 0 or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        var sub = Vector256.LessThan(x, Vector256.Create(1.17549435e-38f));
        var xs = Vector256.ConditionalSelect(sub, x * Vector256.Create(8388608f), x);
        var bias = Vector256.ConditionalSelect(sub.AsInt32(), Vector256.Create(23), Vector256<int>.Zero);
        var t = xs.AsInt32() - Vector256.Create(0x3F3504F3);
        var e = Vector256.ShiftRightArithmetic(t, 23) - bias;
        var m = ((t & Vector256.Create(0x007FFFFF)) + Vector256.Create(0x3F3504F3)).AsSingle();
        var f = m - Vector256<float>.One;
        var q = Vector256.Create(6.971611828e-02f);
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(-1.147973388e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(1.168541983e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(-1.242568716e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(1.424905807e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(-1.666780263e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(2.000071555e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(-2.499999702e-01f));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(3.333333135e-01f));
        var ef = Vector256.ConvertToSingle(e);
        var z = f * f;
        var y = Vector256.FusedMultiplyAdd(ef, Vector256.Create(-2.12194442e-4f), f * z * q);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        y = Vector256.FusedMultiplyAdd(ef, Vector256.Create(0.693359375f), f + y);
        y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, y);
        y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), y);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), y, Vector256.Create(float.NaN));
    }

    /// <summary>tanh x per lane (float32): for |x| &lt; 0.625, x + x³·T(x²) with T of degree 5 (a Chebyshev fit of
    /// (tanh x − x)/x³); beyond, sign(x)·(1 − 2/(e^{2|x|} + 1)) with <see cref="Exp(Vector256{float})"/> (→ ±1 past |x| ≈ 9).
    /// tanh(±0) = ±0, NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var s = x * x;
        var p = Vector256.Create(2.292744815e-03f);
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(-8.343945257e-03f));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(2.176891826e-02f));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(-5.395925790e-02f));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(1.333330423e-01f));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(-3.333333433e-01f));
        var small = Vector256.CopySign(Vector256.FusedMultiplyAdd(p, s * x, x), x); // keeps tanh(−0) = −0
        var e = Exp(ax + ax);
        var big = Vector256.CopySign(Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.625f)), small, big);
    }

    /// <summary>Logistic sigmoid per lane (float32), 1 / (1 + e^{−x}), computed as u / (1 + e^{−|x|}) with u = 1 for
    /// x ≥ 0 and u = e^{−|x|} for x &lt; 0 (one <see cref="Exp(Vector256{float})"/>, one division), so that it stays accurate
    /// down to the subnormal results near x = −103 where e^{−x} itself would overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var e = Exp(-Vector256.Abs(x));
        var u = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), e, Vector256<float>.One);
        return u / (Vector256<float>.One + e);
    }

    /// <summary>sin x per lane (float32), for |x| ≤ <see cref="TrigReductionLimit"/>: see <see cref="SinCos(Vector256{float}, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sin(Vector256<float> x) => SinCos(x, 0);

    /// <summary>cos x per lane (float32), for |x| ≤ <see cref="TrigReductionLimit"/>: sin(x + π/2), one quadrant on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Cos(Vector256<float> x) => SinCos(x, 1);

    /// <summary>sin of x + <paramref name="quadrants"/>·π/2 per lane. x = q·π/2 + r with q = round(x·2/π) and |r| ≤ π/4
    /// (Cody–Waite: π/2 in three float32 parts, the first exact in 8 bits, so q·part₁ is exact for |q| &lt; 2^16; each
    /// step one FMA), then sin r = r + r³·S(r²) and cos r = 1 − r²/2 + r⁴·C(r²) with their Taylor terms to r⁹ and r¹⁰
    /// (truncation below 3e−9 relative on |r| ≤ π/4), chosen and signed by the quadrant q + quadrants mod 4.
    /// sin(±0) = ±0, cos(±0) = 1; NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SinCos(Vector256<float> x, int quadrants)
    {
        var q = Vector256.Round(x * Vector256.Create(0.636619772f));
        var r = Vector256.FusedMultiplyAdd(q, Vector256.Create(-1.5703125f), x);
        r = Vector256.FusedMultiplyAdd(q, Vector256.Create(-4.838267923e-04f), r);
        r = Vector256.FusedMultiplyAdd(q, Vector256.Create(-2.563344068e-12f), r);
        var z = r * r;
        var s = Vector256.Create(2.755731922e-06f);
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(-1.984126984e-04f));
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(8.333333333e-03f));
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(-1.666666667e-01f));
        var sin = Vector256.FusedMultiplyAdd(s, z * r, r);
        var c = Vector256.Create(-2.755731922e-07f);
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(2.480158730e-05f));
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(-1.388888889e-03f));
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(4.166666667e-02f));
        var cos = Vector256.FusedMultiplyAdd(c, z * z, Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), Vector256<float>.One));
        var quadrant = Vector256.ConvertToInt32(q) + Vector256.Create(quadrants);
        var odd = Vector256.Equals(quadrant & Vector256.Create(1), Vector256.Create(1)).AsSingle();
        var y = Vector256.ConditionalSelect(odd, cos, sin);
        var flip = Vector256.ShiftLeft(quadrant & Vector256.Create(2), 30).AsSingle(); // the sign bit for quadrants 2, 3
        y ^= flip;
        // the reduction turns −0 into +0 (−0·−π/2 + −0); sin keeps the zero's sign
        return quadrants == 0 ? Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), x, y) : y;
    }
}
