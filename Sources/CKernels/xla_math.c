// float32 exp, expm1, log, log1p, tanh, logistic, sinh and cosh computed the way XLA:CPU (JAX 0.10.2) computes
// them, so that results are XLA's bits (/work/shared/reference/XLA-NUMERICS.md §1, §3): the same
// polynomials, the same fused multiply-adds (fmaf, one rounding each), the other products and
// sums rounded on their own, and XLA's flush-to-zero / denormals-are-zero emulated (subnormal
// inputs that enter arithmetic act as ±0, subnormal results become ±0).
//
// Each function is a scalar element function inlined into one loop per vector width; the loops
// are compiled for AVX-512, AVX2+FMA and baseline x86-64 and chosen by fx_vector_width(). All
// three compute the same operations on each element, so they give the same bits (fmaf is a
// vfmadd instruction on the vector paths and libm's exact fmaf on the baseline one).
#include "CKernels.h"
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <xmmintrin.h>

// Every product or sum below is rounded on its own unless written as fmaf.
#pragma clang fp contract(off)

#define INLINE static inline __attribute__((always_inline))

INLINE uint32_t bits_of(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return u;
}
INLINE float float_of(uint32_t u) {
  float x;
  memcpy(&x, &u, 4);
  return x;
}
#define F(b) float_of(b##u)

/// H(s; c[0], …, c[k-1]): Horner in s with fused multiply-adds, highest coefficient first; the
/// coefficients are float32 bit patterns. (Unrolled once inlined: the coefficients are constants.)
INLINE float horner(float s, const uint32_t *c, int k) {
  float p = float_of(c[0]);
  for (int i = 1; i < k; i++) p = fmaf(p, s, float_of(c[i]));
  return p;
}

/// Denormals-are-zero: a subnormal input as the zero of its sign.
INLINE float daz(float x) { return fabsf(x) < FLT_MIN ? copysignf(0.0f, x) : x; }
/// Flush-to-zero: a subnormal result as the zero of its sign.
INLINE float ftz(float x) { return daz(x); }

/// XLA's exp (Cephes constants) before its last step, for an input already DAZ-flushed: the
/// polynomial's value y and the power of two it is scaled by (exp = y · scale). §3 exp.
INLINE float exp_parts(float x, float *scale) {
  // Clamp; NaN passes through (the comparisons are false).
  x = x < -87.8f ? -87.8f : x;
  x = x > 88.8f ? 88.8f : x;
  float n = floorf(fmaf(x, F(0x3FB8AA3B), 0.5f));
  n = n < -127.0f ? -127.0f : n;
  n = n > 127.0f ? 127.0f : n;
  n = n != n ? 0.0f : n;  // (a NaN x stays NaN through r)
  float r = fmaf(-n, F(0x3F318000), x);
  r = fmaf(-n, F(0xB95E8083), r);
  static const uint32_t c[6] = {0x39506967, 0x3AB743CE, 0x3C088908, 0x3D2AA9C1, 0x3E2AAAAA, 0x3F000000};
  float p = horner(r, c, 6);
  float r2 = r * r;
  float y = fmaf(p, r2, r) + 1.0f;
  // 2^n from its bit pattern: n = -127 gives +0.
  *scale = float_of((uint32_t)((int32_t)n + 127) << 23);
  return y;
}

/// XLA's exp, for an input already DAZ-flushed; the result may be subnormal (callers flush).
INLINE float exp_core(float x) {
  float scale;
  float y = exp_parts(x, &scale);
  return y * scale;
}

INLINE float xla_expf(float x) { return ftz(exp_core(daz(x))); }

/// Eigen's ptanh_float as XLA:CPU calls it. §3 tanh.
INLINE float xla_tanhf(float x) {
  float a = fabsf(x);
  float z = x > F(0x40FFF644) ? F(0x40FFF644) : x;
  z = z < -F(0x40FFF644) ? -F(0x40FFF644) : z;
  float s = z * z;
  static const uint32_t cp[7] = {0xA59F25C0, 0x2A61337E, 0xAEBD37FF, 0x335C0041,
                                 0x3779434A, 0x3A270DED, 0x3BA059DC};
  static const uint32_t cq[4] = {0x35A0D3D8, 0x38F895D6, 0x3B14AA05, 0x3BA059DD};
  float t = (z * horner(s, cp, 7)) / horner(s, cq, 4);
  t = a >= 20.0f ? copysignf(1.0f, x) : t;
  // Small |x| (subnormals included: a select keeps them) gives x itself.
  return a < 4e-4f ? x : t;
}

/// XLA's log (Eigen's plog with Cephes coefficients). §3 log.
INLINE float xla_logf(float x0) {
  float x = daz(x0);
  float xm = x > FLT_MIN ? x : FLT_MIN;  // (NaN becomes FLT_MIN; it is replaced below)
  uint32_t b = bits_of(xm);
  float e = (float)((int32_t)(b >> 23) - 127) + 1.0f;
  float m = float_of((b & 0x807FFFFFu) | 0x3F000000u);
  int small = m < F(0x3F3504F3);
  float f = small ? (m - 1.0f) + m : m - 1.0f;
  e = small ? e - 1.0f : e;
  float f2 = f * f, f3 = f2 * f;
  float y0 = fmaf(fmaf(f, F(0x3D9021BB), F(0xBDEBD1B8)), f, F(0x3DEF251A));
  float y1 = fmaf(fmaf(f, F(0xBDFE5D4F), F(0x3E11E9BF)), f, F(0xBE2AAE50));
  float y2 = fmaf(fmaf(f, F(0x3E4CCEAC), F(0xBE7FFFFC)), f, F(0x3EAAAAAA));
  float ec = e * F(0xB95E8083);
  float t = fmaf(fmaf(fmaf(y0, f3, y1), f3, y2), f3, ec);
  float u = fmaf(-0.5f, f2, f) + t;
  float r = fmaf(e, F(0x3F318000), u);
  r = x == 0.0f ? -INFINITY : r;
  r = x == INFINITY ? INFINITY : r;
  r = x < 0.0f || x != x ? float_of(0xFFFFFFFFu) : r;
  return r;
}

/// XLA's log1p: a rational function near 0, log(1 + x) elsewhere. §3 log1p.
INLINE float xla_log1pf(float x0) {
  float x = daz(x0);
  static const uint32_t cp[7] = {0x383DE04B, 0x3EFF40C5, 0x40D284FA, 0x41EF4B9C,
                                 0x4273CC76, 0x426473AD, 0x41A05101};
  static const uint32_t cq[7] = {0x3F800000, 0x417101AD, 0x42A6185B, 0x435DC32D,
                                 0x439A8CA3, 0x43586D8A, 0x42707982};
  float p = horner(x, cp, 7), q = horner(x, cq, 7);
  float x2 = ftz(x * x);
  float x3 = ftz(x * x2);
  float near = x + ftz(fmaf(-0.5f, x2, ftz(x3 * (p / q))));
  float far = xla_logf(x + 1.0f);
  return ftz(fabsf(x) < F(0x3ED413CD) ? near : far);
}

/// XLA's expm1 from exp and tanh: e - 1 for |x| > 0.5, else tanh(x/2)·(e + 1). §3 expm1.
INLINE float xla_expm1f(float x0) {
  float x = daz(x0);
  float e = xla_expf(x);
  float h = ftz(x * 0.5f);
  float near = ftz(xla_tanhf(h) * (e + 1.0f));
  float r = fabsf(x) > 0.5f ? e - 1.0f : near;
  return h == 0.0f ? x0 : r;
}

/// cosh = exp(x + c) + exp(c − x), c = -ln 2 rounded (0xBF317218). §2.
INLINE float xla_coshf(float x0) {
  float x = daz(x0);
  return ftz(xla_expf(x + F(0xBF317218)) + xla_expf(F(0xBF317218) - x));
}

/// sinh: 0.5·(m + m/(m + 1)) with m = expm1(x) for |x| < 1; else exp(x + c) − exp(c − x), the
/// first exp's final multiply fused with the subtraction (one kernel in XLA). §2.
INLINE float xla_sinhf(float x0) {
  float x = daz(x0);
  float m = xla_expm1f(x);
  float near = ftz(0.5f * (m + m / (m + 1.0f)));
  float scale;
  float y = exp_parts(daz(ftz(x + F(0xBF317218))), &scale);
  float far = ftz(fmaf(y, scale, -xla_expf(F(0xBF317218) - x)));
  return fabsf(x) < 1.0f ? near : far;
}

/// atan (Eigen's atan_f32, §3 atan): x itself below 1e-3 in magnitude (a subnormal x too);
/// else a rational function of z = min(|x|, 1/|x|), reflected to π/2 − r above 1, with x's sign.
INLINE float xla_atanf(float x) {
  float a = fabsf(x);
  if (a < 1e-3f) return x;
  int above = a > 1.0f;
  float z = above ? 1.0f / a : a;
  float s = z * z;
  static const uint32_t p[3] = {0x3DE56E67, 0x3F3ACBA0, 0x3F4F9D60};
  static const uint32_t q[4] = {0x3C2557B4, 0x3E90FDB4, 0x3F800000, 0x3F4F9D60};
  float r = z * (horner(s, p, 3) / horner(s, q, 4));
  return copysignf(ftz(above ? F(0x3FC90FDB) - r : r), x);
}

/// erf (§3 erf): x·P(x²)/Q(x²), ±1 from |x| ≥ 0x407547CB (3.832507) on; the scalar variant
/// (`scalar`) gives ±1 from 0x406F9C68 (3.7439213) on instead.
INLINE float xla_erf_any(float x0, int scalar) {
  float x = daz(x0);
  if (fabsf(x) >= (scalar ? F(0x406F9C68) : F(0x407547CB))) return copysignf(1.0f, x);
  static const uint32_t p[5] = {0x39702D51, 0x3B5F5DA2, 0x3D50B6EB, 0x3E3DA740, 0x3F906EBA};
  static const uint32_t q[7] = {0xB3FD3906, 0x37C588DF, 0x3A856D28, 0x3C6687D4, 0x3DE34C21, 0x3EFEB44A, 0x3F800000};
  float s = x * x;
  return ftz(x * horner(s, p, 5) / horner(s, q, 7));
}
INLINE float xla_erff(float x) { return xla_erf_any(x, 0); }

/// logistic = 1 / (1 + exp(-x)). §2.
INLINE float xla_logisticf(float x) { return ftz(1.0f / (1.0f + xla_expf(-x))); }

#define CLONES_SMALL __attribute__((target_clones("arch=x86-64-v3", "default")))
#define TARGET512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")))
#define TARGET256 __attribute__((target("avx2,fma")))

/// fx_<NAME>_f32: one loop per vector width over the element function FN.
#define XLA_KERNEL(NAME, FN)                                                                 \
  TARGET512 static void NAME##_512(const float *x, float *y, long n) {                       \
    for (long i = 0; i < n; i++) y[i] = FN(x[i]);                                            \
  }                                                                                          \
  TARGET256 static void NAME##_256(const float *x, float *y, long n) {                       \
    for (long i = 0; i < n; i++) y[i] = FN(x[i]);                                            \
  }                                                                                          \
  static void NAME##_1(const float *x, float *y, long n) {                                   \
    for (long i = 0; i < n; i++) y[i] = FN(x[i]);                                            \
  }                                                                                          \
  void fx_##NAME##_f32(const float *x, float *y, long n) {                                   \
    int w = fx_vector_width();                                                               \
    if (w == 16) NAME##_512(x, y, n);                                                        \
    else if (w == 8) NAME##_256(x, y, n);                                                    \
    else NAME##_1(x, y, n);                                                                  \
  }

XLA_KERNEL(exp, xla_expf)
XLA_KERNEL(expm1, xla_expm1f)
XLA_KERNEL(log, xla_logf)
XLA_KERNEL(log1p, xla_log1pf)
XLA_KERNEL(tanh, xla_tanhf)
XLA_KERNEL(logistic, xla_logisticf)
XLA_KERNEL(sinh, xla_sinhf)
XLA_KERNEL(cosh, xla_coshf)
XLA_KERNEL(atan_xla, xla_atanf)
XLA_KERNEL(erf_vector, xla_erff)

/// float32 erf as XLA:CPU computes a standalone erf (§1.5): one element (a 0-d array or a
/// 1-element one) takes the scalar variant, longer arrays the vector one.
void fx_erf_f32(const float *x, float *y, long n) {
  if (n == 1) {
    y[0] = xla_erf_any(x[0], 1);
    return;
  }
  fx_erf_vector_f32(x, y, n);
}

/// The elements of a standalone exp or log of n elements that XLA:CPU leaves to glibc's expf /
/// logf instead of its polynomial (§1.5): all of 3, 5, 6 or 7 elements (3-, 5-, 6- and 7-wide
/// vector calls left as libm calls), and elements 8 … n−1 of 11, 13, 14 or 15; none otherwise.
static long libm_from(long n) {
  if (n == 3 || n == 5 || n == 6 || n == 7) return 0;
  if (n == 11 || n == 13 || n == 14 || n == 15) return 8;
  return n;
}

/// exp and log of a whole standalone array: the polynomial, and glibc's function (FTZ and DAZ
/// set) where XLA calls it.
#define XLA_OR_LIBM(NAME, LIBM)                                                              \
  void fx_##NAME##_standalone_f32(const float *x, float *y, long n) {                        \
    long from = libm_from(n);                                                                \
    fx_##NAME##_f32(x, y, from);                                                             \
    if (from == n) return;                                                                   \
    unsigned int csr = _mm_getcsr();                                                         \
    _mm_setcsr(csr | 0x8040);                                                                \
    for (long i = from; i < n; i++) y[i] = LIBM(x[i]);                                       \
    _mm_setcsr(csr);                                                                         \
  }
XLA_OR_LIBM(exp, expf)
XLA_OR_LIBM(log, logf)

/// float32 atan as JAX 0.10.2's XLA:CPU computes a standalone arctan of n elements (probed for
/// n up to 10⁶, XLA-NUMERICS.md §1.5): one element is glibc's atanf; 2 to 49 elements are XLA's
/// atan; longer arrays run glibc's atanf (FTZ and DAZ set, as XLA runs) over their first n − n mod
/// 4 elements, a 4-wide loop, and XLA's atan over the rest. (Above 65 536 elements XLA also
/// splits the array across threads, each part with such a tail; that split is not followed.)
void fx_atan_f32(const float *x, float *y, long n) {
  long head = n == 1 ? 1 : n < 50 ? 0 : n & ~3L;
  unsigned int csr = _mm_getcsr();
  _mm_setcsr(csr | 0x8040);
  for (long i = 0; i < head; i++) y[i] = atanf(x[i]);
  _mm_setcsr(csr);
  fx_atan_xla_f32(x + head, y + head, n - head);
}

// ---- small float32 products, summed in XLA:CPU's order.
//
// For small shapes XLA:CPU's dot adds the products of each result entry in order along the
// contraction, each as one fused multiply-add onto a sum that starts at +0. Probed against JAX
// 0.10.2 (jnp.dot and lax.dot_general with either operand transposed, and batched): that order
// holds for every m, n, k ≤ 7 except results of 2 entries (1×2, 2×1) with k > 2; for
// matrix·vector (n = 1, lhs not transposed) with k ≤ 7 and any m tried (up to 10⁶); for vector
// dots with k ≤ 32; and for k = 1, where the dot is a plain product (XLA rewrites it as a
// multiply: −0.2 · 0 is −0, not +0 + −0). Other shapes use other orders (vectorised along k,
// or blocked), which this file does not reproduce.
int fx_small_dot_f32_is_xla(long m, long n, long k, int trans_a) {
  if (k <= 1) return 1;
  if (m == 1 && n == 1) return k <= 32;
  if (m * n == 2 && k > 2) return 0;
  if (n == 1 && !trans_a) return k <= 7;
  return m <= 7 && n <= 7 && k <= 7;
}

CLONES_SMALL void fx_small_dot_f32(const float *a, int trans_a, const float *b, int trans_b, long m, long n, long k,
                                   float *c) {
  for (long i = 0; i < m; i++)
    for (long j = 0; j < n; j++) {
      if (k == 1) {
        c[i * n + j] = a[i] * b[j];  // (either layout: with k = 1 both are a[i] and b[j])
        continue;
      }
      float s = 0.0f;
      for (long t = 0; t < k; t++) {
        float x = trans_a ? a[t * m + i] : a[i * k + t];
        float y = trans_b ? b[j * k + t] : b[t * n + j];
        s = fmaf(x, y, s);
      }
      c[i * n + j] = s;
    }
}
