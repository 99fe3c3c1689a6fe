#ifndef FLUXION_CKERNELS_H
#define FLUXION_CKERNELS_H
#include <stdint.h>

/// Unary float kernels, vectorised with SLEEF (AVX-512 or AVX2 chosen at run time, scalar otherwise).
typedef enum {
  FX_EXP, FX_EXPM1, FX_LOG, FX_LOG1P, FX_SIN, FX_COS, FX_TAN, FX_ASIN, FX_ACOS, FX_ATAN,
  FX_SINH, FX_COSH, FX_TANH, FX_ERF, FX_ERF_INV, FX_LOGISTIC, FX_SQRT, FX_RSQRT, FX_CBRT
} fx_unary_op;

typedef enum { FX_POW, FX_ATAN2, FX_FMOD } fx_binary_op;

void fx_unary_f32(fx_unary_op op, const float *x, float *y, long n);
void fx_unary_f64(fx_unary_op op, const double *x, double *y, long n);
/// y[i] = op(a[i * sa], b[i * sb]); sa and sb are 0 (broadcast scalar) or 1.
void fx_binary_f32(fx_binary_op op, const float *a, long sa, const float *b, long sb, float *y, long n);
void fx_binary_f64(fx_binary_op op, const double *a, long sa, const double *b, long sb, double *y, long n);

/// Threefry-2x32 with 20 rounds, elementwise: (y0, y1) = threefry(k0[i], k1[i], x0[i], x1[i]).
/// Key strides are 0 (one key for all) or 1.
void fx_threefry2x32(const uint32_t *k0, const uint32_t *k1, long ks, const uint32_t *x0,
                     const uint32_t *x1, uint32_t *y0, uint32_t *y1, long n);

/// Which vector width the math kernels use: 16 (AVX-512), 8 (AVX2) or 1 (scalar).
int fx_vector_width(void);
#endif
