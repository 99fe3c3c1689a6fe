// Vectorised float kernels over SLEEF, and the threefry counter-based generator.
// SLEEF's AVX-512/AVX2 entry points are declared here (sleef.h hides them unless the whole
// translation unit targets those instructions); the CPU is probed once at run time.
#include "CKernels.h"
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TARGET512 __attribute__((target("avx512f,avx512dq,avx2,fma")))
#define TARGET256 __attribute__((target("avx2,fma")))

#define SLEEF_F(name)                                                                        \
  TARGET512 __m512 Sleef_##name##f16_u10avx512f(__m512);                                     \
  TARGET256 __m256 Sleef_##name##f8_u10avx2(__m256);                                         \
  TARGET512 __m512d Sleef_##name##d8_u10avx512f(__m512d);                                    \
  TARGET256 __m256d Sleef_##name##d4_u10avx2(__m256d);
// The SLEEF functions behind the unary kernels (the header's lists, and log1p).
FX_XLA_F32_UNARY(SLEEF_F)
FX_LIBM_F32_UNARY(SLEEF_F)
FX_SLEEF_UNARY(SLEEF_F)
SLEEF_F(log1p)
TARGET512 __m512 Sleef_powf16_u10avx512f(__m512, __m512);
TARGET256 __m256 Sleef_powf8_u10avx2(__m256, __m256);
TARGET512 __m512d Sleef_powd8_u10avx512f(__m512d, __m512d);
TARGET256 __m256d Sleef_powd4_u10avx2(__m256d, __m256d);
TARGET512 __m512 Sleef_atan2f16_u10avx512f(__m512, __m512);
TARGET256 __m256 Sleef_atan2f8_u10avx2(__m256, __m256);
TARGET512 __m512d Sleef_atan2d8_u10avx512f(__m512d, __m512d);
TARGET256 __m256d Sleef_atan2d4_u10avx2(__m256d, __m256d);
TARGET512 __m512 Sleef_fmodf16_avx512f(__m512, __m512);
TARGET256 __m256 Sleef_fmodf8_avx2(__m256, __m256);
TARGET512 __m512d Sleef_fmodd8_avx512f(__m512d, __m512d);
TARGET256 __m256d Sleef_fmodd4_avx2(__m256d, __m256d);

static int vector_width = -1;

int fx_vector_width(void) {
  if (vector_width < 0) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
      vector_width = 16;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      vector_width = 8;
    else
      vector_width = 1;
    // FLUXION_VECTOR_WIDTH=8 or =1 runs the narrower kernels on a wider CPU (for tests).
    const char *forced = getenv("FLUXION_VECTOR_WIDTH");
    if (forced) {
      int w = atoi(forced);
      if ((w == 1 || w == 8 || w == 16) && w <= vector_width) vector_width = w;
    }
  }
  return vector_width;
}

// ---- erf_inv: Giles' single-precision approximation, as XLA lowers chlo.erf_inv for float32.
static const float erfinv_lo[9] = {2.81022636e-08f,  3.43273939e-07f, -3.5233877e-06f,
                                   -4.39150654e-06f, 0.00021858087f,  -0.00125372503f,
                                   -0.00417768164f,  0.246640727f,    1.50140941f};
static const float erfinv_hi[9] = {-0.000200214257f, 0.000100950558f, 0.00134934322f,
                                   -0.00367342844f,  0.00573950773f,  -0.0076224613f,
                                   0.00943887047f,   1.00167406f,     2.83297682f};

/// Finishes erf_inv given w = -log1p(-x*x) for each element (in y on entry).
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
static void erfinv_poly_f32(const float *x, float *y, long n) {
  for (long i = 0; i < n; i++) {
    float w = y[i];
    float wl = w - 2.5f, wh = sqrtf(w) - 3.0f;
    float pl = erfinv_lo[0], ph = erfinv_hi[0];
    for (int k = 1; k < 9; k++) {
      pl = fmaf(pl, wl, erfinv_lo[k]);
      ph = fmaf(ph, wh, erfinv_hi[k]);
    }
    float r = (w < 5.0f ? pl : ph) * x[i];
    y[i] = fabsf(x[i]) == 1.0f ? x[i] * INFINITY : r;
  }
}

/// Double erf_inv: Giles' double-precision approximation in three pieces of w = -log1p(-x²),
/// the same polynomials XLA uses for float64 (Horner with fused multiply-adds).
static const double erfinv_d1[23] = {
    -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
    1.115787767802518096e-17,   -1.333171662854620906e-16, 2.0972767875968561637e-17,
    6.6376381343583238325e-15,  -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12,  -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09,   -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07,  -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352,   -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693,     1.6536545626831027356};
static const double erfinv_d2[19] = {
    2.2137376921775787049e-09,  9.0756561938885390979e-08,  -2.7517406297064545428e-07,
    1.8239629214389227755e-08,  1.5027403968909827627e-06,  -4.013867526981545969e-06,
    2.9234449089955446044e-06,  1.2475304481671778723e-05,  -4.7318229009055733981e-05,
    6.8284851459573175448e-05,  2.4031110387097893999e-05,  -0.0003550375203628474796,
    0.00095328937973738049703,  -0.0016882755560235047313,  0.0024914420961078508066,
    -0.0037512085075692412107,  0.005370914553590063617,    1.0052589676941592334,
    3.0838856104922207635};
static const double erfinv_d3[17] = {
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09,  -1.4960026627149240478e-08,
    2.9147953450901080826e-08,  -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06,  -1.9681778105531670567e-05,
    7.5995277030017761139e-05,  -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977,      4.8499064014085844221};

static void erfinv_f64(const double *x, double *y, long n) {
  for (long i = 0; i < n; i++) {
    double v = x[i];
    if (fabs(v) == 1.0) { y[i] = v * INFINITY; continue; }
    double w = -log1p(-v * v);
    const double *c;
    int degree;
    if (w < 6.25) { w -= 3.125; c = erfinv_d1; degree = 23; }
    else if (w < 16.0) { w = sqrt(w) - 3.25; c = erfinv_d2; degree = 19; }
    else { w = sqrt(w) - 5.0; c = erfinv_d3; degree = 17; }
    double p = c[0];
    for (int k = 1; k < degree; k++) p = fma(p, w, c[k]);
    y[i] = p * v;
  }
}

// ---- unary kernels: each runs the 16-lane, 8-lane or scalar loop as fx_vector_width() says.
#define VLOOP512_F(fn)                                                                       \
  do {                                                                                       \
    long i = 0;                                                                              \
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, fn(_mm512_loadu_ps(x + i)));        \
    if (i < n) {                                                                             \
      __mmask16 m = (__mmask16)((1u << (n - i)) - 1);                                        \
      _mm512_mask_storeu_ps(y + i, m, fn(_mm512_maskz_loadu_ps(m, x + i)));                  \
    }                                                                                        \
  } while (0)
#define VLOOP512_D(fn)                                                                       \
  do {                                                                                       \
    long i = 0;                                                                              \
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, fn(_mm512_loadu_pd(x + i)));         \
    if (i < n) {                                                                             \
      __mmask8 m = (__mmask8)((1u << (n - i)) - 1);                                          \
      _mm512_mask_storeu_pd(y + i, m, fn(_mm512_maskz_loadu_pd(m, x + i)));                  \
    }                                                                                        \
  } while (0)
#define VLOOP256_F(fn)                                                                       \
  do {                                                                                       \
    long i = 0;                                                                              \
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, fn(_mm256_loadu_ps(x + i)));         \
    if (i < n) {                                                                             \
      float tx[8] = {0}, ty[8];                                                              \
      memcpy(tx, x + i, (size_t)(n - i) * sizeof(float));                                    \
      _mm256_storeu_ps(ty, fn(_mm256_loadu_ps(tx)));                                         \
      memcpy(y + i, ty, (size_t)(n - i) * sizeof(float));                                    \
    }                                                                                        \
  } while (0)
#define VLOOP256_D(fn)                                                                       \
  do {                                                                                       \
    long i = 0;                                                                              \
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, fn(_mm256_loadu_pd(x + i)));         \
    if (i < n) {                                                                             \
      double tx[4] = {0}, ty[4];                                                             \
      memcpy(tx, x + i, (size_t)(n - i) * sizeof(double));                                   \
      _mm256_storeu_pd(ty, fn(_mm256_loadu_pd(tx)));                                         \
      memcpy(y + i, ty, (size_t)(n - i) * sizeof(double));                                   \
    }                                                                                        \
  } while (0)

TARGET512 static inline __m512d logisticd8(__m512d v) {
  __m512d one = _mm512_set1_pd(1.0);
  return _mm512_div_pd(one, _mm512_add_pd(one, Sleef_expd8_u10avx512f(_mm512_sub_pd(_mm512_setzero_pd(), v))));
}
TARGET256 static inline __m256d logisticd4(__m256d v) {
  __m256d one = _mm256_set1_pd(1.0);
  return _mm256_div_pd(one, _mm256_add_pd(one, Sleef_expd4_u10avx2(_mm256_sub_pd(_mm256_setzero_pd(), v))));
}
TARGET512 static inline __m512 sqrt16(__m512 v) { return _mm512_sqrt_ps(v); }
TARGET256 static inline __m256 sqrt8(__m256 v) { return _mm256_sqrt_ps(v); }
TARGET512 static inline __m512d sqrtd8(__m512d v) { return _mm512_sqrt_pd(v); }
TARGET256 static inline __m256d sqrtd4(__m256d v) { return _mm256_sqrt_pd(v); }
TARGET512 static inline __m512 rsqrt16(__m512 v) { return _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_sqrt_ps(v)); }
TARGET256 static inline __m256 rsqrt8(__m256 v) { return _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_sqrt_ps(v)); }
TARGET512 static inline __m512d rsqrtd8(__m512d v) { return _mm512_div_pd(_mm512_set1_pd(1.0), _mm512_sqrt_pd(v)); }
TARGET256 static inline __m256d rsqrtd4(__m256d v) { return _mm256_div_pd(_mm256_set1_pd(1.0), _mm256_sqrt_pd(v)); }
TARGET512 static inline __m512 neglog1p_sq16(__m512 v) {
  __m512 z = _mm512_setzero_ps();
  return _mm512_sub_ps(z, Sleef_log1pf16_u10avx512f(_mm512_sub_ps(z, _mm512_mul_ps(v, v))));
}
TARGET256 static inline __m256 neglog1p_sq8(__m256 v) {
  __m256 z = _mm256_setzero_ps();
  return _mm256_sub_ps(z, Sleef_log1pf8_u10avx2(_mm256_sub_ps(z, _mm256_mul_ps(v, v))));
}

// Scalar forms of the vector helpers above, for the 1-lane loops.
static inline double logisticd_s(double v) { return 1.0 / (1.0 + exp(-v)); }
static inline float rsqrt_s(float v) { return 1.0f / sqrtf(v); }
static inline double rsqrtd_s(double v) { return 1.0 / sqrt(v); }
static inline float neglog1p_sq_s(float v) { return -log1pf(-v * v); }

/// Defines `LINKAGE void FN(const T *x, T *y, long n)`: y[i] = f(x[i]) with the vector function
/// V512 (AVX-512) or V256 (AVX2) in the loops LOOP512 / LOOP256, or the scalar function S, as
/// fx_vector_width() says.
#define WIDTH_DISPATCH(LINKAGE, T, FN, LOOP512, V512, LOOP256, V256, S)                      \
  TARGET512 static void FN##_512(const T *x, T *y, long n) { LOOP512(V512); }                \
  TARGET256 static void FN##_256(const T *x, T *y, long n) { LOOP256(V256); }                \
  static void FN##_1(const T *x, T *y, long n) {                                             \
    for (long i = 0; i < n; i++) y[i] = S(x[i]);                                             \
  }                                                                                          \
  LINKAGE void FN(const T *x, T *y, long n) {                                                \
    int w = fx_vector_width();                                                               \
    if (w == 16) FN##_512(x, y, n);                                                          \
    else if (w == 8) FN##_256(x, y, n);                                                      \
    else FN##_1(x, y, n);                                                                    \
  }
#define WIDTH_DISPATCH_F32(LINKAGE, FN, V16, V8, S) \
  WIDTH_DISPATCH(LINKAGE, float, FN, VLOOP512_F, V16, VLOOP256_F, V8, S)
#define WIDTH_DISPATCH_F64(LINKAGE, FN, V8, V4, S) \
  WIDTH_DISPATCH(LINKAGE, double, FN, VLOOP512_D, V8, VLOOP256_D, V4, S)

// fx_<name>_f32 / fx_<name>_f64 for each SLEEF function in the header's list (libm's for 1 lane).
#define SLEEF_KERNELS(NAME)                                                                  \
  WIDTH_DISPATCH_F32(, fx_##NAME##_f32, Sleef_##NAME##f16_u10avx512f, Sleef_##NAME##f8_u10avx2, NAME##f) \
  WIDTH_DISPATCH_F64(, fx_##NAME##_f64, Sleef_##NAME##d8_u10avx512f, Sleef_##NAME##d4_u10avx2, NAME)
FX_SLEEF_UNARY(SLEEF_KERNELS)
// Only float64 here for these: float32 is XLA's (xla_math.c).
#define SLEEF_KERNELS_F64(NAME)                                                              \
  WIDTH_DISPATCH_F64(, fx_##NAME##_f64, Sleef_##NAME##d8_u10avx512f, Sleef_##NAME##d4_u10avx2, NAME)
FX_XLA_F32_UNARY(SLEEF_KERNELS_F64)
FX_LIBM_F32_UNARY(SLEEF_KERNELS_F64)

// float32 sin, cos and tan as XLA:CPU computes them (XLA-NUMERICS.md §1.4): the C library's
// sinf/cosf/tanf on each element, with FTZ and DAZ set in MXCSR (as XLA runs), restored after.
// arcsin and arccos are XLA's rewrites (§2) through glibc's atan2f: arcsin = t + t with
// t = atan2(x, 1 + sqrt((1 − x)(1 + x))), arccos = atan2(sqrt((1 − x)(1 + x)), x), each product,
// sum and square root rounded on its own.
static inline float libm_sin(float x) { return sinf(x); }
static inline float libm_cos(float x) { return cosf(x); }
static inline float libm_tan(float x) { return tanf(x); }
static inline float libm_asin(float x) {
  float r = sqrtf((1.0f - x) * (1.0f + x));
  float t = atan2f(x, 1.0f + r);
  return t + t;
}
static inline float libm_acos(float x) { return atan2f(sqrtf((1.0f - x) * (1.0f + x)), x); }
#define LIBM_F32_KERNEL(NAME)                                                                \
  void fx_##NAME##_f32(const float *x, float *y, long n) {                                   \
    unsigned int csr = _mm_getcsr();                                                         \
    _mm_setcsr(csr | 0x8040);                                                                \
    for (long i = 0; i < n; i++) y[i] = libm_##NAME(x[i]);                                   \
    _mm_setcsr(csr);                                                                         \
  }
FX_LIBM_F32_UNARY(LIBM_F32_KERNEL)

WIDTH_DISPATCH_F64(, fx_logistic_f64, logisticd8, logisticd4, logisticd_s)
WIDTH_DISPATCH_F32(, fx_sqrt_f32, sqrt16, sqrt8, sqrtf)
WIDTH_DISPATCH_F64(, fx_sqrt_f64, sqrtd8, sqrtd4, sqrt)
WIDTH_DISPATCH_F32(, fx_rsqrt_f32, rsqrt16, rsqrt8, rsqrt_s)
WIDTH_DISPATCH_F64(, fx_rsqrt_f64, rsqrtd8, rsqrtd4, rsqrtd_s)

/// log1p (float64): SLEEF's, which overflows to inf near the top of the range, where
/// log1p(x) = log(x). (float32 is XLA's, xla_math.c.)
WIDTH_DISPATCH_F64(static, sleef_log1p_f64, Sleef_log1pd8_u10avx512f, Sleef_log1pd4_u10avx2, log1p)
void fx_log1p_f64(const double *x, double *y, long n) {
  sleef_log1p_f64(x, y, n);
  for (long i = 0; i < n; i++)
    if (y[i] == INFINITY && isfinite(x[i])) y[i] = log(x[i]);
}

/// erf_inv: w = -log1p(-x²) vectorised, then Giles' polynomial (float32); double is all scalar.
WIDTH_DISPATCH_F32(static, neglog1p_sq_f32, neglog1p_sq16, neglog1p_sq8, neglog1p_sq_s)
void fx_erf_inv_f32(const float *x, float *y, long n) {
  neglog1p_sq_f32(x, y, n);
  erfinv_poly_f32(x, y, n);
}
void fx_erf_inv_f64(const double *x, double *y, long n) { erfinv_f64(x, y, n); }

// ---- binary: pow, atan2, fmod (a or b may be a broadcast scalar)
#define BLOCK 256
// The last partial vector of a block is padded and computed by the vector function too, so an
// element's result never depends on where it falls (chunks, broadcast runs).
#define BINARY_IMPL(T, NAME, W, LOAD, STORE, FPOW, FATAN2, FMOD, SCALAR_POW, SCALAR_ATAN2, SCALAR_FMOD) \
  static void NAME(fx_binary_op op, const T *a, long sa, const T *b, long sb, T *y, long n) { \
    T ta[BLOCK + 16], tb[BLOCK + 16], tr[16];                                                \
    for (long s = 0; s < n; s += BLOCK) {                                                    \
      long m = n - s < BLOCK ? n - s : BLOCK;                                                \
      for (long i = 0; i < m; i++) { ta[i] = a[(s + i) * sa]; tb[i] = b[(s + i) * sb]; }     \
      long i = 0;                                                                            \
      if (W > 1) {                                                                           \
        long padded = (m + W - 1) / W * W;                                                   \
        for (long k = m; k < padded; k++) { ta[k] = 1; tb[k] = 1; }                          \
        for (; i < padded; i += W) {                                                         \
          T *dst = i + W <= m ? y + s + i : tr;                                              \
          switch (op) {                                                                      \
          case FX_POW: STORE(dst, FPOW(LOAD(ta + i), LOAD(tb + i))); break;                  \
          case FX_ATAN2: STORE(dst, FATAN2(LOAD(ta + i), LOAD(tb + i))); break;              \
          case FX_FMOD: STORE(dst, FMOD(LOAD(ta + i), LOAD(tb + i))); break;                 \
          }                                                                                  \
          if (dst == tr)                                                                     \
            for (long k = 0; k < m - i; k++) y[s + i + k] = tr[k];                           \
        }                                                                                    \
      }                                                                                      \
      for (; i < m; i++) {                                                                   \
        switch (op) {                                                                        \
        case FX_POW: y[s + i] = SCALAR_POW(ta[i], tb[i]); break;                             \
        case FX_ATAN2: y[s + i] = SCALAR_ATAN2(ta[i], tb[i]); break;                         \
        case FX_FMOD: y[s + i] = SCALAR_FMOD(ta[i], tb[i]); break;                           \
        }                                                                                    \
      }                                                                                      \
    }                                                                                        \
  }
#define NONE(...) 0
TARGET512 BINARY_IMPL(float, binary_f32_512, 16, _mm512_loadu_ps, _mm512_storeu_ps,
                      Sleef_powf16_u10avx512f, Sleef_atan2f16_u10avx512f, Sleef_fmodf16_avx512f,
                      powf, atan2f, fmodf)
TARGET256 BINARY_IMPL(float, binary_f32_256, 8, _mm256_loadu_ps, _mm256_storeu_ps,
                      Sleef_powf8_u10avx2, Sleef_atan2f8_u10avx2, Sleef_fmodf8_avx2, powf,
                      atan2f, fmodf)
TARGET512 BINARY_IMPL(double, binary_f64_512, 8, _mm512_loadu_pd, _mm512_storeu_pd,
                      Sleef_powd8_u10avx512f, Sleef_atan2d8_u10avx512f, Sleef_fmodd8_avx512f,
                      pow, atan2, fmod)
TARGET256 BINARY_IMPL(double, binary_f64_256, 4, _mm256_loadu_pd, _mm256_storeu_pd,
                      Sleef_powd4_u10avx2, Sleef_atan2d4_u10avx2, Sleef_fmodd4_avx2, pow, atan2,
                      fmod)
#define SCALAR_STORE(p, v) (void)0
BINARY_IMPL(float, binary_f32_scalar, 1, NONE, SCALAR_STORE, NONE, NONE, NONE, powf, atan2f, fmodf)
BINARY_IMPL(double, binary_f64_scalar, 1, NONE, SCALAR_STORE, NONE, NONE, NONE, pow, atan2, fmod)

void fx_binary_f32(fx_binary_op op, const float *a, long sa, const float *b, long sb, float *y, long n) {
  // float32 atan2 and pow as XLA:CPU computes them (XLA-NUMERICS.md §1.4): glibc's atan2f and
  // powf on each element, with FTZ and DAZ set (jnp.arctan2(x, 1.0) too: probed, it is not
  // folded to atan).
  if (op == FX_ATAN2 || op == FX_POW) {
    unsigned int csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);
    if (op == FX_ATAN2)
      for (long i = 0; i < n; i++) y[i] = atan2f(a[i * sa], b[i * sb]);
    else
      for (long i = 0; i < n; i++) y[i] = powf(a[i * sa], b[i * sb]);
    _mm_setcsr(csr);
    return;
  }
  int w = fx_vector_width();
  if (w == 16) binary_f32_512(op, a, sa, b, sb, y, n);
  else if (w == 8) binary_f32_256(op, a, sa, b, sb, y, n);
  else binary_f32_scalar(op, a, sa, b, sb, y, n);
}
void fx_binary_f64(fx_binary_op op, const double *a, long sa, const double *b, long sb, double *y, long n) {
  int w = fx_vector_width();
  if (w == 16) binary_f64_512(op, a, sa, b, sb, y, n);
  else if (w == 8) binary_f64_256(op, a, sa, b, sb, y, n);
  else binary_f64_scalar(op, a, sa, b, sb, y, n);
}

// ---- threefry2x32
static inline uint32_t rotl32(uint32_t v, int r) { return (v << r) | (v >> (32 - r)); }

static void threefry_scalar(const uint32_t *k0, const uint32_t *k1, long ks, const uint32_t *x0,
                            const uint32_t *x1, uint32_t *y0, uint32_t *y1, long n) {
  for (long i = 0; i < n; i++) {
    uint32_t a = k0[i * ks], b = k1[i * ks];
    uint32_t key[3] = {a, b, a ^ b ^ 0x1BD11BDAu};
    uint32_t v0 = x0[i] + key[0], v1 = x1[i] + key[1];
#define ROUND(r) v0 += v1; v1 = rotl32(v1, r); v1 ^= v0;
#define GROUP_A ROUND(13) ROUND(15) ROUND(26) ROUND(6)
#define GROUP_B ROUND(17) ROUND(29) ROUND(16) ROUND(24)
    GROUP_A v0 += key[1]; v1 += key[2] + 1u;
    GROUP_B v0 += key[2]; v1 += key[0] + 2u;
    GROUP_A v0 += key[0]; v1 += key[1] + 3u;
    GROUP_B v0 += key[1]; v1 += key[2] + 4u;
    GROUP_A v0 += key[2]; v1 += key[0] + 5u;
#undef ROUND
    y0[i] = v0; y1[i] = v1;
  }
}

// The 20 rounds and 5 key injections of threefry-2x32 on 16 lanes (keys a, b, k2 = a^b^C).
TARGET512 static inline void threefry_rounds_512(__m512i *x0, __m512i *x1, __m512i a, __m512i b, __m512i k2) {
  __m512i v0 = *x0, v1 = *x1;
#define ROUND(r) v0 = _mm512_add_epi32(v0, v1); v1 = _mm512_rol_epi32(v1, r); v1 = _mm512_xor_si512(v1, v0);
#define GROUP_A ROUND(13) ROUND(15) ROUND(26) ROUND(6)
#define GROUP_B ROUND(17) ROUND(29) ROUND(16) ROUND(24)
#define INJECT(p, q, s) v0 = _mm512_add_epi32(v0, p); v1 = _mm512_add_epi32(_mm512_add_epi32(v1, q), _mm512_set1_epi32(s));
  GROUP_A INJECT(b, k2, 1)
  GROUP_B INJECT(k2, a, 2)
  GROUP_A INJECT(a, b, 3)
  GROUP_B INJECT(b, k2, 4)
  GROUP_A INJECT(k2, a, 5)
#undef ROUND
#undef GROUP_A
#undef GROUP_B
#undef INJECT
  *x0 = v0;
  *x1 = v1;
}

// 16 lanes at a time with AVX-512's 32-bit rotate. The key vectors are loaded per block
// (ks = 1) or broadcast once (ks = 0).
TARGET512 static void threefry_512(const uint32_t *k0, const uint32_t *k1, long ks, const uint32_t *x0,
                                   const uint32_t *x1, uint32_t *y0, uint32_t *y1, long n) {
  long i = 0;
  __m512i c = _mm512_set1_epi32(0x1BD11BDA);
  __m512i a = _mm512_set1_epi32((int)k0[0]), b = _mm512_set1_epi32((int)k1[0]);
  for (; i + 16 <= n; i += 16) {
    if (ks) {
      a = _mm512_loadu_si512(k0 + i);
      b = _mm512_loadu_si512(k1 + i);
    }
    __m512i k2 = _mm512_xor_si512(_mm512_xor_si512(a, b), c);
    __m512i v0 = _mm512_add_epi32(_mm512_loadu_si512(x0 + i), a);
    __m512i v1 = _mm512_add_epi32(_mm512_loadu_si512(x1 + i), b);
    threefry_rounds_512(&v0, &v1, a, b, k2);
    _mm512_storeu_si512(y0 + i, v0);
    _mm512_storeu_si512(y1 + i, v1);
  }
  if (i < n) threefry_scalar(k0 + i * ks, k1 + i * ks, ks, x0 + i, x1 + i, y0 + i, y1 + i, n - i);
}

// The same rounds on 8 lanes with AVX2, which has no rotate: two shifts and an or.
TARGET256 static inline __m256i rotl_256(__m256i v, int r) {
  return _mm256_or_si256(_mm256_slli_epi32(v, r), _mm256_srli_epi32(v, 32 - r));
}

TARGET256 static inline void threefry_rounds_256(__m256i *x0, __m256i *x1, __m256i a, __m256i b, __m256i k2) {
  __m256i v0 = *x0, v1 = *x1;
#define ROUND(r) v0 = _mm256_add_epi32(v0, v1); v1 = rotl_256(v1, r); v1 = _mm256_xor_si256(v1, v0);
#define GROUP_A ROUND(13) ROUND(15) ROUND(26) ROUND(6)
#define GROUP_B ROUND(17) ROUND(29) ROUND(16) ROUND(24)
#define INJECT(p, q, s) v0 = _mm256_add_epi32(v0, p); v1 = _mm256_add_epi32(_mm256_add_epi32(v1, q), _mm256_set1_epi32(s));
  GROUP_A INJECT(b, k2, 1)
  GROUP_B INJECT(k2, a, 2)
  GROUP_A INJECT(a, b, 3)
  GROUP_B INJECT(b, k2, 4)
  GROUP_A INJECT(k2, a, 5)
#undef ROUND
#undef GROUP_A
#undef GROUP_B
#undef INJECT
  *x0 = v0;
  *x1 = v1;
}

TARGET256 static void threefry_256(const uint32_t *k0, const uint32_t *k1, long ks, const uint32_t *x0,
                                   const uint32_t *x1, uint32_t *y0, uint32_t *y1, long n) {
  long i = 0;
  __m256i c = _mm256_set1_epi32(0x1BD11BDA);
  __m256i a = _mm256_set1_epi32((int)k0[0]), b = _mm256_set1_epi32((int)k1[0]);
  for (; i + 8 <= n; i += 8) {
    if (ks) {
      a = _mm256_loadu_si256((const __m256i *)(k0 + i));
      b = _mm256_loadu_si256((const __m256i *)(k1 + i));
    }
    __m256i k2 = _mm256_xor_si256(_mm256_xor_si256(a, b), c);
    __m256i v0 = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(x0 + i)), a);
    __m256i v1 = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(x1 + i)), b);
    threefry_rounds_256(&v0, &v1, a, b, k2);
    _mm256_storeu_si256((__m256i *)(y0 + i), v0);
    _mm256_storeu_si256((__m256i *)(y1 + i), v1);
  }
  if (i < n) threefry_scalar(k0 + i * ks, k1 + i * ks, ks, x0 + i, x1 + i, y0 + i, y1 + i, n - i);
}

void fx_threefry2x32(const uint32_t *k0, const uint32_t *k1, long ks, const uint32_t *x0,
                     const uint32_t *x1, uint32_t *y0, uint32_t *y1, long n) {
  int w = fx_vector_width();
  if (w == 16) threefry_512(k0, k1, ks, x0, x1, y0, y1, n);
  else if (w == 8) threefry_256(k0, k1, ks, x0, x1, y0, y1, n);
  else threefry_scalar(k0, k1, ks, x0, x1, y0, y1, n);
}

// ---- random bits: counters made in registers, hashed, folded, stored once.
static void random_bits_scalar(uint32_t k0, uint32_t k1, uint64_t start, uint32_t *o32, uint64_t *o64, long n) {
  for (long j = 0; j < n; j++) {
    uint64_t i = start + (uint64_t)j;
    uint32_t hi = (uint32_t)(i >> 32), lo = (uint32_t)i, a, b;
    threefry_scalar(&k0, &k1, 0, &hi, &lo, &a, &b, 1);
    if (o32) o32[j] = a ^ b;
    else o64[j] = ((uint64_t)a << 32) | b;
  }
}

TARGET512 static void random_bits_512(uint32_t k0, uint32_t k1, uint64_t start, uint32_t *o32, uint64_t *o64, long n) {
  long j = 0;
  __m512i a = _mm512_set1_epi32((int)k0), b = _mm512_set1_epi32((int)k1);
  __m512i k2 = _mm512_xor_si512(_mm512_xor_si512(a, b), _mm512_set1_epi32(0x1BD11BDA));
  __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  // Blocks whose 16 counters share their high word (all but rare blocks across 2^32).
  for (; j + 16 <= n; j += 16) {
    uint64_t i0 = start + (uint64_t)j;
    if ((uint32_t)(i0 >> 32) != (uint32_t)((i0 + 15) >> 32)) break;
    __m512i v0 = _mm512_add_epi32(_mm512_set1_epi32((int)(uint32_t)(i0 >> 32)), a);
    __m512i v1 = _mm512_add_epi32(_mm512_add_epi32(_mm512_set1_epi32((int)(uint32_t)i0), lane), b);
    threefry_rounds_512(&v0, &v1, a, b, k2);
    if (o32) {
      _mm512_storeu_si512(o32 + j, _mm512_xor_si512(v0, v1));
    } else {
      // Interleave into 64-bit words (a << 32 | b): low halves from v1, high from v0.
      __m512i lo = _mm512_unpacklo_epi32(v1, v0), hi = _mm512_unpackhi_epi32(v1, v0);
      __m512i first = _mm512_permutex2var_epi64(lo, _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11), hi);
      __m512i second = _mm512_permutex2var_epi64(lo, _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15), hi);
      _mm512_storeu_si512(o64 + j, first);
      _mm512_storeu_si512(o64 + j + 8, second);
    }
  }
  if (j < n) random_bits_scalar(k0, k1, start + (uint64_t)j, o32 ? o32 + j : 0, o64 ? o64 + j : 0, n - j);
}

TARGET256 static void random_bits_256(uint32_t k0, uint32_t k1, uint64_t start, uint32_t *o32, uint64_t *o64, long n) {
  long j = 0;
  __m256i a = _mm256_set1_epi32((int)k0), b = _mm256_set1_epi32((int)k1);
  __m256i k2 = _mm256_xor_si256(_mm256_xor_si256(a, b), _mm256_set1_epi32(0x1BD11BDA));
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (; j + 8 <= n; j += 8) {
    uint64_t i0 = start + (uint64_t)j;
    if ((uint32_t)(i0 >> 32) != (uint32_t)((i0 + 7) >> 32)) break;
    __m256i v0 = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)(i0 >> 32)), a);
    __m256i v1 = _mm256_add_epi32(_mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)i0), lane), b);
    threefry_rounds_256(&v0, &v1, a, b, k2);
    if (o32) {
      _mm256_storeu_si256((__m256i *)(o32 + j), _mm256_xor_si256(v0, v1));
    } else {
      // 64-bit words a << 32 | b: unpack interleaves within 128-bit halves, then the halves
      // are put back in lane order.
      __m256i lo = _mm256_unpacklo_epi32(v1, v0), hi = _mm256_unpackhi_epi32(v1, v0);
      _mm256_storeu_si256((__m256i *)(o64 + j), _mm256_permute2x128_si256(lo, hi, 0x20));
      _mm256_storeu_si256((__m256i *)(o64 + j + 4), _mm256_permute2x128_si256(lo, hi, 0x31));
    }
  }
  if (j < n) random_bits_scalar(k0, k1, start + (uint64_t)j, o32 ? o32 + j : 0, o64 ? o64 + j : 0, n - j);
}

void fx_random_bits32(uint32_t k0, uint32_t k1, uint64_t start, uint32_t *out, long n) {
  int w = fx_vector_width();
  if (w == 16) random_bits_512(k0, k1, start, out, 0, n);
  else if (w == 8) random_bits_256(k0, k1, start, out, 0, n);
  else random_bits_scalar(k0, k1, start, out, 0, n);
}

void fx_random_bits64(uint32_t k0, uint32_t k1, uint64_t start, uint64_t *out, long n) {
  int w = fx_vector_width();
  if (w == 16) random_bits_512(k0, k1, start, 0, out, n);
  else if (w == 8) random_bits_256(k0, k1, start, 0, out, n);
  else random_bits_scalar(k0, k1, start, 0, out, n);
}
