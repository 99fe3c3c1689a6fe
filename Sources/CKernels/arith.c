// Elementwise arithmetic and comparisons, written as plain loops the compiler vectorises;
// target_clones picks AVX-512, AVX2 or baseline code at load time.
#include "CKernels.h"
#include <math.h>
#include <stdint.h>

#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// Three loops per operation so each one vectorises: both arrays, array-scalar, scalar-array.
#define LOOPS(T, EXPR)                                                                       \
  do {                                                                                       \
    const T *A = (const T *)a, *B = (const T *)b;                                            \
    T *Y = (T *)y;                                                                           \
    if (sa && sb) {                                                                          \
      for (long i = 0; i < n; i++) { T x = A[i], z = B[i]; Y[i] = (EXPR); }                  \
    } else if (sa) {                                                                         \
      T z = B[0];                                                                            \
      for (long i = 0; i < n; i++) { T x = A[i]; Y[i] = (EXPR); }                            \
    } else if (sb) {                                                                         \
      T x = A[0];                                                                            \
      for (long i = 0; i < n; i++) { T z = B[i]; Y[i] = (EXPR); }                            \
    } else {                                                                                 \
      T x = A[0], z = B[0], v = (EXPR);                                                      \
      for (long i = 0; i < n; i++) Y[i] = v;                                                 \
    }                                                                                        \
  } while (0)

// NaN-propagating max/min, as XLA.
#define FMAX(x, z) ((x) > (z) || (x) != (x) ? (x) : (z))
#define FMIN(x, z) ((x) < (z) || (x) != (x) ? (x) : (z))

#define FLOAT_CASES(T)                                                                       \
  switch (op) {                                                                              \
  case FX_ADD: LOOPS(T, x + z); return 1;                                                    \
  case FX_SUB: LOOPS(T, x - z); return 1;                                                    \
  case FX_MUL: LOOPS(T, x * z); return 1;                                                    \
  case FX_DIV: LOOPS(T, x / z); return 1;                                                    \
  case FX_MAX: LOOPS(T, FMAX(x, z)); return 1;                                               \
  case FX_MIN: LOOPS(T, FMIN(x, z)); return 1;                                               \
  default: return 0;                                                                         \
  }

// Integers wrap: the arithmetic is done on the unsigned type of the same width.
#define INT_CASES(T, U, BITS)                                                                \
  switch (op) {                                                                              \
  case FX_ADD: LOOPS(T, (T)((U)x + (U)z)); return 1;                                         \
  case FX_SUB: LOOPS(T, (T)((U)x - (U)z)); return 1;                                         \
  case FX_MUL: LOOPS(T, (T)((U)x * (U)z)); return 1;                                         \
  case FX_MAX: LOOPS(T, x > z ? x : z); return 1;                                            \
  case FX_MIN: LOOPS(T, x < z ? x : z); return 1;                                            \
  case FX_AND: LOOPS(T, x & z); return 1;                                                    \
  case FX_OR: LOOPS(T, x | z); return 1;                                                     \
  case FX_XOR: LOOPS(T, x ^ z); return 1;                                                    \
  case FX_SHL: LOOPS(T, (U)z >= BITS ? 0 : (T)((U)x << (U)z)); return 1;                     \
  case FX_SHR_LOGICAL: LOOPS(T, (U)z >= BITS ? 0 : (T)((U)x >> (U)z)); return 1;             \
  default: return 0;                                                                         \
  }

CLONES int fx_arith(fx_arith_op op, fx_dtype t, const void *a, long sa, const void *b, long sb, void *y, long n) {
  switch (t) {
  case FX_F32: FLOAT_CASES(float)
  case FX_F64: FLOAT_CASES(double)
  case FX_I32: INT_CASES(int32_t, uint32_t, 32)
  case FX_U32: INT_CASES(uint32_t, uint32_t, 32)
  case FX_I64: INT_CASES(int64_t, uint64_t, 64)
  case FX_U64: INT_CASES(uint64_t, uint64_t, 64)
  }
  return 0;
}

#define CMP_LOOPS(T, EXPR)                                                                   \
  do {                                                                                       \
    const T *A = (const T *)a, *B = (const T *)b;                                            \
    if (sa && sb) {                                                                          \
      for (long i = 0; i < n; i++) { T x = A[i], z = B[i]; y[i] = (EXPR); }                  \
    } else if (sa) {                                                                         \
      T z = B[0];                                                                            \
      for (long i = 0; i < n; i++) { T x = A[i]; y[i] = (EXPR); }                            \
    } else if (sb) {                                                                         \
      T x = A[0];                                                                            \
      for (long i = 0; i < n; i++) { T z = B[i]; y[i] = (EXPR); }                            \
    } else {                                                                                 \
      T x = A[0], z = B[0];                                                                  \
      unsigned char v = (EXPR);                                                              \
      for (long i = 0; i < n; i++) y[i] = v;                                                 \
    }                                                                                        \
  } while (0)

#define CMP_CASES(T)                                                                         \
  switch (op) {                                                                              \
  case FX_EQ: CMP_LOOPS(T, x == z); return 1;                                                \
  case FX_NE: CMP_LOOPS(T, x != z); return 1;                                                \
  case FX_LT: CMP_LOOPS(T, x < z); return 1;                                                 \
  case FX_LE: CMP_LOOPS(T, x <= z); return 1;                                                \
  case FX_GT: CMP_LOOPS(T, x > z); return 1;                                                 \
  case FX_GE: CMP_LOOPS(T, x >= z); return 1;                                                \
  }                                                                                          \
  return 0;

CLONES int fx_compare(fx_compare_op op, fx_dtype t, const void *a, long sa, const void *b, long sb, unsigned char *y, long n) {
  switch (t) {
  case FX_F32: CMP_CASES(float)
  case FX_F64: CMP_CASES(double)
  case FX_I32: CMP_CASES(int32_t)
  case FX_U32: CMP_CASES(uint32_t)
  case FX_I64: CMP_CASES(int64_t)
  case FX_U64: CMP_CASES(uint64_t)
  }
  return 0;
}

CLONES void fx_fma_f32(const float *a, long sa, const float *b, long sb, const float *c, long sc, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = fmaf(a[i * sa], b[i * sb], c[i * sc]);
}

CLONES void fx_fma_f64(const double *a, long sa, const double *b, long sb, const double *c, long sc, double *y, long n) {
  for (long i = 0; i < n; i++) y[i] = fma(a[i * sa], b[i * sb], c[i * sc]);
}

// Repeated squaring, one bit of the exponent at a time over a chunk of elements, so the
// multiplies vectorise (the same products in the same order as the per-element loop).
#define INTEGER_POW_CHUNK 256
#define INTEGER_POW(T)                                                                       \
  if (e == 2) {                                                                              \
    for (long i = 0; i < n; i++) y[i] = x[i] * x[i];                                         \
    return;                                                                                  \
  }                                                                                          \
  if (e == 3) { /* 1·x, then x·(x·x): the squaring loop's products */                        \
    for (long i = 0; i < n; i++) y[i] = x[i] * (x[i] * x[i]);                                \
    return;                                                                                  \
  }                                                                                          \
  unsigned long m = e < 0 ? 0UL - (unsigned long)e : (unsigned long)e;                       \
  for (long i0 = 0; i0 < n; i0 += INTEGER_POW_CHUNK) {                                       \
    long c = n - i0 < INTEGER_POW_CHUNK ? n - i0 : INTEGER_POW_CHUNK;                        \
    T acc[INTEGER_POW_CHUNK], base[INTEGER_POW_CHUNK];                                       \
    for (long i = 0; i < c; i++) { acc[i] = 1; base[i] = x[i0 + i]; }                        \
    for (unsigned long k = m; k; k >>= 1) {                                                  \
      if (k & 1)                                                                             \
        for (long i = 0; i < c; i++) acc[i] *= base[i];                                      \
      if (k > 1)                                                                             \
        for (long i = 0; i < c; i++) base[i] *= base[i];                                     \
    }                                                                                        \
    if (e < 0)                                                                               \
      for (long i = 0; i < c; i++) y[i0 + i] = (T)1 / acc[i];                                \
    else                                                                                     \
      for (long i = 0; i < c; i++) y[i0 + i] = acc[i];                                       \
  }

CLONES void fx_integer_pow_f32(const float *x, float *y, long n, long e) { INTEGER_POW(float) }

CLONES void fx_f32_to_i32(const float *x, int32_t *y, long n) {
  for (long i = 0; i < n; i++) {
    float v = x[i];
    int32_t t = (int32_t)(v > -2147483648.0f ? (v < 2147483648.0f ? v : 0.0f) : -2147483648.0f);
    y[i] = v != v ? 0 : (v >= 2147483648.0f ? INT32_MAX : t);
  }
}
CLONES void fx_integer_pow_f64(const double *x, double *y, long n, long e) { INTEGER_POW(double) }

#define TRANSPOSE_BLOCK 32
#define TRANSPOSE_LOOP(T)                                                                    \
  for (long b = 0; b < batch; b++) {                                                         \
    const T *s = (const T *)src + b * rows * cols;                                           \
    T *d = (T *)dst + b * rows * cols;                                                       \
    for (long i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK)                                      \
      for (long j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {                                  \
        long i1 = i0 + TRANSPOSE_BLOCK < rows ? i0 + TRANSPOSE_BLOCK : rows;                 \
        long j1 = j0 + TRANSPOSE_BLOCK < cols ? j0 + TRANSPOSE_BLOCK : cols;                 \
        for (long i = i0; i < i1; i++)                                                       \
          for (long j = j0; j < j1; j++) d[j * rows + i] = s[i * cols + j];                  \
      }                                                                                      \
  }

CLONES void fx_transpose(const void *src, void *dst, long batch, long rows, long cols, int element_size) {
  if (element_size == 8) {
    TRANSPOSE_LOOP(uint64_t)
  } else if (element_size == 4) {
    TRANSPOSE_LOOP(uint32_t)
  } else {
    TRANSPOSE_LOOP(uint8_t)
  }
}

// Prefetch distance of the gathers and scatters, in elements: far enough ahead to cover a miss
// to the last-level cache at one element per few cycles.
#define GATHER_AHEAD 24
#define IN_RANGE(q, n) ((unsigned long)(q) < (unsigned long)(n))

#define TAKE_LOOP                                                                            \
  for (long i = 0; i < count; i++) {                                                         \
    if (i + GATHER_AHEAD < count) {                                                          \
      long a = p[i + GATHER_AHEAD];                                                          \
      __builtin_prefetch(x + (IN_RANGE(a, n) ? a : 0));                                      \
    }                                                                                        \
    long q = p[i];                                                                           \
    y[i] = IN_RANGE(q, n) ? x[q] : 0;                                                        \
  }

CLONES void fx_take32_i32(const uint32_t *x, long n, const int32_t *p, uint32_t *y, long count) { TAKE_LOOP }
CLONES void fx_take64_i32(const uint64_t *x, long n, const int32_t *p, uint64_t *y, long count) { TAKE_LOOP }
CLONES void fx_take32_i64(const uint32_t *x, long n, const int64_t *p, uint32_t *y, long count) { TAKE_LOOP }
CLONES void fx_take64_i64(const uint64_t *x, long n, const int64_t *p, uint64_t *y, long count) { TAKE_LOOP }

#define SCATTER_ADD_LOOP                                                                     \
  for (long i = 0; i < count; i++) {                                                         \
    if (i + GATHER_AHEAD < count) {                                                          \
      long a = p[i + GATHER_AHEAD];                                                          \
      __builtin_prefetch(y + (IN_RANGE(a, n) ? a : 0), 1);                                   \
    }                                                                                        \
    long q = p[i];                                                                           \
    if (IN_RANGE(q, n)) y[q] += u[i];                                                        \
  }

CLONES void fx_scatter_add_f32_i32(float *y, long n, const int32_t *p, const float *u, long count) {
  SCATTER_ADD_LOOP
}
CLONES void fx_scatter_add_f64_i32(double *y, long n, const int32_t *p, const double *u, long count) {
  SCATTER_ADD_LOOP
}

// A part's input is the t-th of `parts` equal ranges; its list for destination range b holds
// at most the part's size, and starts with its length.
typedef struct { int32_t q; float u; } fx_pair;

static long part_size(long count, long parts) { return (count + parts - 1) / parts; }
static fx_pair *scatter_list(void *scratch, long count, long parts, long t, long b) {
  return (fx_pair *)scratch + (t * parts + b) * (part_size(count, parts) + 1);
}

long fx_scatter_scratch_size(long count, long parts) {
  return parts * parts * (part_size(count, parts) + 1) * (long)sizeof(fx_pair);
}

CLONES void fx_scatter_bucket_f32_i32(const int32_t *p, const float *u, long count, long n, long parts, long t,
                                      void *scratch) {
  long size = part_size(count, parts), start = t * size;
  long end = start + size < count ? start + size : count;
  long range = (n + parts - 1) / parts;
  // Two lists (the common case of two cores) are filled without a branch on the position:
  // each pair is written to both and only its own list's length moves on.
  if (parts == 2) {
    fx_pair *a = scatter_list(scratch, count, parts, t, 0) + 1, *z = scatter_list(scratch, count, parts, t, 1) + 1;
    long na = 0, nz = 0;
    for (long i = start; i < end; i++) {
      long q = p[i];
      fx_pair v = {(int32_t)q, u[i]};
      a[na] = v;
      z[nz] = v;
      na += IN_RANGE(q, range);
      nz += IN_RANGE(q - range, n - range);
    }
    ((long *)(a - 1))[0] = na;
    ((long *)(z - 1))[0] = nz;
    return;
  }
  for (long b = 0; b < parts; b++) *(long *)scatter_list(scratch, count, parts, t, b) = 0;
  for (long i = start; i < end; i++) {
    long q = p[i];
    if (!IN_RANGE(q, n)) continue;
    fx_pair *list = scatter_list(scratch, count, parts, t, q / range);
    long *len = (long *)list;
    list[1 + (*len)++] = (fx_pair){(int32_t)q, u[i]};
  }
}

CLONES void fx_scatter_apply_f32(float *y, long count, long parts, long b, const void *scratch) {
  for (long t = 0; t < parts; t++) {
    const fx_pair *list = scatter_list((void *)scratch, count, parts, t, b);
    long len = *(const long *)list;
    list += 1;
    for (long i = 0; i < len; i++) {
      if (i + GATHER_AHEAD < len) __builtin_prefetch(y + list[i + GATHER_AHEAD].q, 1);
      y[list[i].q] += list[i].u;
    }
  }
}

// XLA's order: state[0] the open block of values, state[1] the open block of block sums (when
// there are more than 32 blocks), state[2] the final in-order sum. Zero padding changes no sum
// (a sum from +0 is never -0), so it only shifts where blocks start.
/// The sums of `blocks` blocks of 32 at `v`, each in order from +0; the blocks' chains are
/// independent, so the loop runs many at once (the order within each block is kept).
static inline void xla_block_sums(const float *v, long blocks, float *sums) {
  for (long b = 0; b < blocks; b++) sums[b] = 0.0f;
  for (int t = 0; t < 32; t++)
    for (long b = 0; b < blocks; b++) sums[b] += v[b * 32 + t];
}

/// A whole row of 33…FX_XLA_SUM_MAX values in XLA's order (as the loop below adds it).
static float xla_whole_row_sum(const float *p, long length) {
  float padded[FX_XLA_SUM_MAX + 64], sums[160];
  long pad1 = (32 - length % 32) % 32, blocks1 = (length + pad1) / 32;
  for (long k = 0; k < pad1 / 2; k++) padded[k] = 0.0f;
  for (long k = 0; k < length; k++) padded[pad1 / 2 + k] = p[k];
  for (long k = pad1 / 2 + length; k < blocks1 * 32; k++) padded[k] = 0.0f;
  xla_block_sums(padded, blocks1, sums + 32);
  long count = blocks1;
  float *v = sums + 32;
  if (count > 32) {
    long pad2 = (32 - count % 32) % 32, blocks2 = (count + pad2) / 32;
    float level2[160];
    for (long k = 0; k < pad2 / 2; k++) level2[k] = 0.0f;
    for (long k = 0; k < count; k++) level2[pad2 / 2 + k] = v[k];
    for (long k = pad2 / 2 + count; k < blocks2 * 32; k++) level2[k] = 0.0f;
    xla_block_sums(level2, blocks2, sums);
    v = sums;
    count = blocks2;
  }
  float total = 0.0f;
  for (long k = 0; k < count; k++) total += v[k];
  return total;
}

CLONES float fx_xla_row_sum_f32(const float *p, long n, long offset, long length, float state[3]) {
  if (length > 32 && offset == 0 && n == length) return xla_whole_row_sum(p, length);
  if (length <= 32) {
    float s = state[2];
    for (long k = 0; k < n; k++) s += p[k];
    state[2] = s;
    return s;
  }
  long pad1 = (32 - length % 32) % 32, front1 = pad1 / 2, blocks1 = (length + pad1) / 32;
  long front2 = blocks1 > 32 ? ((32 - blocks1 % 32) % 32) / 2 : 0;
  float s1 = state[0], s2 = state[1], total = state[2];
  for (long k = 0; k < n; k++) {
    long i = offset + k;
    if (i > 0 && (i + front1) % 32 == 0) {
      // Block (i + front1) / 32 - 1 of values is complete.
      long j = (i + front1) / 32 - 1;
      if (blocks1 <= 32) {
        total += s1;
      } else {
        if (j > 0 && (j + front2) % 32 == 0) { total += s2; s2 = 0.0f; }
        s2 += s1;
      }
      s1 = 0.0f;
    }
    s1 += p[k];
  }
  if (offset + n == length) {
    long j = (length - 1 + front1) / 32;
    if (blocks1 <= 32) {
      total += s1;
    } else {
      if (j > 0 && (j + front2) % 32 == 0) { total += s2; s2 = 0.0f; }
      s2 += s1;
      total += s2;
    }
    s1 = s2 = 0.0f;
  }
  state[0] = s1;
  state[1] = s2;
  state[2] = total;
  return total;
}

#define ROW_AHEAD 1024
// Rows longer than FX_XLA_SUM_MAX add in 32 double-precision lanes (lane j takes elements
// j mod 32), then the lanes pairwise (j += j+16, j += j+8, …), then the tail. The lanes are
// four 8-double vectors written out: clang's vectoriser splits the plain 32-element loop into
// 128-bit halves, and the row ran at a third of the memory's speed.
typedef float fx_v8f __attribute__((vector_size(32), aligned(4)));
typedef double fx_v8d __attribute__((vector_size(64)));
CLONES void fx_sum_rows_f32(const float *x, long rows, long len, float *y) {
  long total = rows * len;
  for (long r = 0; r < rows; r++) {
    const float *row = x + r * len;
    if (len <= FX_XLA_SUM_MAX) {
      float state[3] = {0, 0, 0};
      y[r] = fx_xla_row_sum_f32(row, len, 0, len, state);
      continue;
    }
    fx_v8d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    long k = 0;
    for (; k + 32 <= len; k += 32) {
      if (r * len + k + ROW_AHEAD < total) __builtin_prefetch(row + k + ROW_AHEAD);
      a0 += __builtin_convertvector(*(const fx_v8f *)(row + k), fx_v8d);
      a1 += __builtin_convertvector(*(const fx_v8f *)(row + k + 8), fx_v8d);
      a2 += __builtin_convertvector(*(const fx_v8f *)(row + k + 16), fx_v8d);
      a3 += __builtin_convertvector(*(const fx_v8f *)(row + k + 24), fx_v8d);
    }
    a0 += a2;
    a1 += a3;
    a0 += a1;
    double acc[8];
    for (int j = 0; j < 8; j++) acc[j] = a0[j];
    for (int w = 4; w >= 1; w /= 2)
      for (int j = 0; j < w; j++) acc[j] += acc[j + w];
    double sum = acc[0];
    for (; k < len; k++) sum += row[k];
    y[r] = (float)sum;
  }
}

// Matrix-vector products over a block of rows of a row-major float32 matrix, for compiled
// plans that read the block once for a product and its transpose: d[i] = Σ_j x[i,j] w[j]
// (sixteen partial sums per row, lane j mod 16, then added in order), and g[j] += Σ_i z[i] x[i,j]
// (rows in order).
CLONES void fx_rows_dot_f32(const float *x, long n, long k, const float *w, float *d) {
  for (long i = 0; i < n; i++) {
    const float *row = x + i * k;
    float acc[16] = {0};
    long j = 0;
    for (; j + 16 <= k; j += 16)
      for (int l = 0; l < 16; l++) acc[l] += row[j + l] * w[j + l];
    float t = 0;
    for (int l = 0; l < 16; l++) t += acc[l];
    for (; j < k; j++) t += row[j] * w[j];
    d[i] = t;
  }
}

CLONES void fx_rows_axpy_f32(const float *x, long n, long k, const float *z, float *g) {
  for (long i = 0; i < n; i++) {
    const float *row = x + i * k;
    float s = z[i];
    for (long j = 0; j < k; j++) g[j] += s * row[j];
  }
}

// For products with a diagonal operand (DiagonalProduct.swift).
CLONES int fx_is_diagonal_f32(const float *a, long s) {
  int bad = 0;
  for (long i = 0; i < s; i++) {
    const float *row = a + i * s;
    for (long j = 0; j < s; j++) bad |= (row[j] != 0.0f) & (j != i);
    if (bad) return 0;
  }
  return 1;
}

CLONES int fx_all_finite_f32(const float *a, long n) {
  const uint32_t *b = (const uint32_t *)a;
  uint32_t bad = 0;
  for (long i = 0; i < n; i++) bad |= (uint32_t)((b[i] & 0x7f800000u) == 0x7f800000u);
  return bad == 0;
}

/// y[i, j] = s(i, j) · x[i·rs + j·cs] for an m×n result, s = d[i] (rows) or d[j] (columns), with
/// the diagonal's factor on the side it multiplies from; 0 when some product is zero.
CLONES int fx_diagonal_scale_f32(const float *d, long ds, int by_rows, int left, const float *x, long rs, long cs,
                                 float *y, long m, long n) {
  int zero = 0;
  for (long i = 0; i < m; i++) {
    const float *xr = x + i * rs;
    float *yr = y + i * n;
    if (by_rows) {
      float f = d[i * ds];
      if (left)
        for (long j = 0; j < n; j++) { float p = f * xr[j * cs]; zero |= p == 0.0f; yr[j] = p; }
      else
        for (long j = 0; j < n; j++) { float p = xr[j * cs] * f; zero |= p == 0.0f; yr[j] = p; }
    } else {
      if (left)
        for (long j = 0; j < n; j++) { float p = d[j * ds] * xr[j * cs]; zero |= p == 0.0f; yr[j] = p; }
      else
        for (long j = 0; j < n; j++) { float p = xr[j * cs] * d[j * ds]; zero |= p == 0.0f; yr[j] = p; }
    }
  }
  return !zero;
}
