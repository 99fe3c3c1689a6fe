#ifndef FLUXION_CKERNELS_H
#define FLUXION_CKERNELS_H
#include <stdint.h>

/// Unary float kernels y[i] = f(x[i]) for i < n, vectorised (AVX-512 or AVX2 chosen at run time,
/// scalar otherwise): fx_<f>_f32 and fx_<f>_f64 for each f below.
/// - FX_XLA_F32_UNARY: float32 computes what XLA:CPU computes, bit for bit (xla_math.c); float64
///   is SLEEF's (libm's on one lane) function of that name (log1p and logistic: kernels.c).
/// - FX_LIBM_F32_UNARY: float32 is glibc's sinf/cosf/tanf with flush-to-zero and
///   denormals-are-zero set, as XLA:CPU calls them (one call an element), and arcsin and arccos
///   as XLA writes them with glibc's atan2f (kernels.c); float64 is SLEEF's.
/// - FX_SLEEF_UNARY: SLEEF's (libm's on one lane) functions of that name in both precisions, made
///   from this list alone.
#define FX_XLA_F32_UNARY(X) X(exp) X(expm1) X(log) X(tanh) X(sinh) X(cosh) X(atan) X(erf)
#define FX_LIBM_F32_UNARY(X) X(sin) X(cos) X(tan) X(asin) X(acos)
#define FX_SLEEF_UNARY(X) \
  X(cbrt)
#define FX_UNARY(X) \
  FX_XLA_F32_UNARY(X) FX_LIBM_F32_UNARY(X) FX_SLEEF_UNARY(X) X(log1p) X(logistic) X(sqrt) X(rsqrt) X(erf_inv)
#define FX_DECLARE_UNARY(F) \
  void fx_##F##_f32(const float *x, float *y, long n); void fx_##F##_f64(const double *x, double *y, long n);
FX_UNARY(FX_DECLARE_UNARY)
/// float32 exp and log of a whole standalone array of n elements, as XLA:CPU computes one (some
/// short lengths call glibc's expf/logf for some elements, XLA-NUMERICS.md §1.5; xla_math.c).
void fx_exp_standalone_f32(const float *x, float *y, long n);
void fx_log_standalone_f32(const float *x, float *y, long n);

typedef enum { FX_POW, FX_ATAN2, FX_FMOD } fx_binary_op;

/// y[i] = op(a[i * sa], b[i * sb]); sa and sb are 0 (broadcast scalar) or 1.
void fx_binary_f32(fx_binary_op op, const float *a, long sa, const float *b, long sb, float *y, long n);
void fx_binary_f64(fx_binary_op op, const double *a, long sa, const double *b, long sb, double *y, long n);

/// Threefry-2x32 with 20 rounds, elementwise: (y0, y1) = threefry(k0[i], k1[i], x0[i], x1[i]).
/// Key strides are 0 (one key for all) or 1.
void fx_threefry2x32(const uint32_t *k0, const uint32_t *k1, long ks, const uint32_t *x0,
                     const uint32_t *x1, uint32_t *y0, uint32_t *y1, long n);

/// Which vector width the math kernels use: 16 (AVX-512), 8 (AVX2) or 1 (scalar).
int fx_vector_width(void);

/// OpenBLAS, loaded on first use (blas.c says why): the cblas calls Fluxion makes, the kernel
/// it runs ("SkylakeX", "Haswell", …), the kernel Fluxion asked for (NULL when
/// OPENBLAS_CORETYPE was set or the CPU has neither AVX-512 nor AVX2), and its thread count.
#include <cblas.h>
const char *fx_blas_kernel_for_cpu(void);
const char *fx_blas_chosen_kernel(void);
const char *fx_blas_corename(void);
int fx_blas_get_num_threads(void);
void fx_blas_set_num_threads(int n);
int fx_blas_get_num_procs(void);
float fx_cblas_sdot(blasint n, const float *x, blasint incx, const float *y, blasint incy);
double fx_cblas_ddot(blasint n, const double *x, blasint incx, const double *y, blasint incy);
void fx_cblas_sgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, float alpha,
                    const float *a, blasint lda, const float *x, blasint incx, float beta, float *y, blasint incy);
void fx_cblas_dgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, double alpha,
                    const double *a, blasint lda, const double *x, blasint incx, double beta, double *y,
                    blasint incy);
void fx_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, blasint m, blasint n,
                    blasint k, float alpha, const float *a, blasint lda, const float *b, blasint ldb, float beta,
                    float *c, blasint ldc);
void fx_cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, blasint m, blasint n,
                    blasint k, double alpha, const double *a, blasint lda, const double *b, blasint ldb,
                    double beta, double *c, blasint ldc);

/// Triangular solve (cblas_?trsm, column-major as LAPACK and JAX's CPU kernels call it, alpha
/// 1): B := op(A)⁻¹·B (left) or B·op(A)⁻¹ (right), A m×m (left) or n×n (right), B m×n; `f64`
/// picks double over float.
void fx_blas_trsm(int f64, int left, int lower, int trans_a, int unit_diagonal, int m, int n, const void *a, int lda,
                  void *b, int ldb);
/// LAPACK from the same library, on column-major matrices, each returning LAPACK's `info` (0 on
/// success; -1000 when a workspace could not be allocated). `f64` picks d over s.
/// getrf: LU with partial pivoting in place; ipiv 1-based, min(m, n) of them.
int fx_lapack_getrf(int f64, int m, int n, void *a, int *ipiv);
/// potrf: the Cholesky factor of the `lower` (or upper) triangle, in place.
int fx_lapack_potrf(int f64, int lower, int n, void *a);
/// syevd: eigenvalues (ascending, into w) and eigenvectors (columns of a) of a symmetric matrix.
int fx_lapack_syevd(int f64, int lower, int n, void *a, void *w);
/// gesdd: singular values (descending) and, for jobz 'A' or 'S', the singular vectors; a is
/// destroyed.
int fx_lapack_gesdd(int f64, char jobz, int m, int n, void *a, void *s, void *u, int ldu, void *vt, int ldvt);
/// geqrf: Householder QR in place (R above the diagonal, reflectors below), tau min(m, n).
int fx_lapack_geqrf(int f64, int m, int n, void *a, void *tau);
/// orgqr: the m×n matrix Q with orthonormal columns from k of geqrf's reflectors (in a, lda m).
int fx_lapack_orgqr(int f64, int m, int n, int k, void *a, const void *tau);


/// Elementwise arithmetic on contiguous arrays, vectorised by the compiler for the CPU found at
/// run time. `sa`/`sb` are 1 (elementwise) or 0 (a broadcast scalar).
typedef enum {
  FX_ADD, FX_SUB, FX_MUL, FX_DIV, FX_MAX, FX_MIN, FX_AND, FX_OR, FX_XOR, FX_SHL, FX_SHR_LOGICAL
} fx_arith_op;
typedef enum { FX_EQ, FX_NE, FX_LT, FX_LE, FX_GT, FX_GE } fx_compare_op;
typedef enum { FX_F32, FX_F64, FX_I32, FX_U32, FX_I64, FX_U64 } fx_dtype;

/// Returns 0 when the (op, dtype) pair is not handled here (the caller falls back).
int fx_arith(fx_arith_op op, fx_dtype t, const void *a, long sa, const void *b, long sb, void *y, long n);
int fx_compare(fx_compare_op op, fx_dtype t, const void *a, long sa, const void *b, long sb, unsigned char *y, long n);
/// y = a * b + c with one rounding (float32 / float64); strides as above.
void fx_fma_f32(const float *a, long sa, const float *b, long sb, const float *c, long sc, float *y, long n);
void fx_fma_f64(const double *a, long sa, const double *b, long sb, const double *c, long sc, double *y, long n);

/// y = x ** e for a constant integer e (repeated squaring, as XLA's integer_pow).
void fx_integer_pow_f32(const float *x, float *y, long n, long e);
/// float32 → int32 as XLA converts: NaN → 0, beyond the range → the nearest bound, else toward
/// zero (written so the compiler vectorises it).
void fx_f32_to_i32(const float *x, int32_t *y, long n);
void fx_integer_pow_f64(const double *x, double *y, long n, long e);

/// JAX's partitionable random bits for one key: element i is threefry(k, (hi(i), lo(i))) of the
/// row-major index i = start + j, folded to 32 bits (a ^ b) or joined to 64 (a << 32 | b).
void fx_random_bits32(uint32_t k0, uint32_t k1, uint64_t start, uint32_t *out, long n);
void fx_random_bits64(uint32_t k0, uint32_t k1, uint64_t start, uint64_t *out, long n);

/// Gathers single elements: y[i] = x[p[i]] when 0 <= p[i] < n, else 0, for 4- or 8-byte
/// elements and int32 or int64 positions. The position a few steps ahead is prefetched: a
/// random read misses the cache, and the loop would otherwise wait on each miss in turn.
void fx_take32_i32(const uint32_t *x, long n, const int32_t *p, uint32_t *y, long count);
void fx_take64_i32(const uint64_t *x, long n, const int32_t *p, uint64_t *y, long count);
void fx_take32_i64(const uint32_t *x, long n, const int64_t *p, uint32_t *y, long count);
void fx_take64_i64(const uint64_t *x, long n, const int64_t *p, uint64_t *y, long count);

/// Scatter-add of single elements in order: y[p[i]] += u[i] for 0 <= p[i] < n (others are
/// dropped), prefetching as the gathers do.
void fx_scatter_add_f32_i32(float *y, long n, const int32_t *p, const float *u, long count);
void fx_scatter_add_f64_i32(double *y, long n, const int32_t *p, const double *u, long count);

/// The scatter-add above split by destination for `parts` threads, keeping each row's updates
/// in order (so the sums are those of the sequential loop): first each part `t` of the input
/// sorts its (position, update) pairs into `parts` lists by destination range
/// (fx_scatter_bucket, lists in `scratch`, which holds 2 * count pairs' worth for every list
/// of a part: `scratch_size(count, parts)` bytes), then each destination range `b` applies the
/// lists of every part in turn (fx_scatter_apply). Positions outside 0..<n are dropped.
long fx_scatter_scratch_size(long count, long parts);
void fx_scatter_bucket_f32_i32(const int32_t *p, const float *u, long count, long n, long parts, long t, void *scratch);
void fx_scatter_apply_f32(float *y, long count, long parts, long b, const void *scratch);

/// Small float32 products c = a·b (row-major m×k and k×n; `trans_a`: a is stored k×m, `trans_b`:
/// b is stored n×k) summed as XLA:CPU sums them: each entry's products in order along k, each
/// one fused multiply-add onto a sum starting at +0. fx_small_dot_f32_is_xla says whether XLA
/// uses that order for the shape (xla_math.c lists what was verified).
int fx_small_dot_f32_is_xla(long m, long n, long k, int trans_a);
void fx_small_dot_f32(const float *a, int trans_a, const float *b, int trans_b, long m, long n, long k, float *c);

/// Sums of `rows` contiguous rows of `len` float32 values into y, reading ahead of the hardware
/// prefetcher. Rows of up to FX_XLA_SUM_MAX values add in XLA:CPU's order (fx_xla_row_sum_f32;
/// JAX's bits when the array has fewer than 4096 elements); longer rows accumulate in double
/// (32 partial sums a row, combined by halving).
#define FX_XLA_SUM_MAX 4095
void fx_sum_rows_f32(const float *x, long rows, long len, float *y);

/// Part of a float32 row sum in XLA:CPU's order (XLA-NUMERICS.md §4), for rows of `length` ≤
/// FX_XLA_SUM_MAX: `n` values at `p`, which are elements `offset`… of the row. Up to 32 values
/// add in order from +0; longer rows are padded with zeros to a multiple of 32 (half the padding
/// in front), each block of 32 is added in order, and the block sums are reduced the same way
/// until 32 or fewer remain, which are added in order. `state` carries the partial sums between
/// parts (zeroed before a row's first part); returns the sum once the row's last value is added.
float fx_xla_row_sum_f32(const float *p, long n, long offset, long length, float state[3]);

/// A block of rows of a row-major n×k float32 matrix times a vector, d = x·w, and the block's
/// transpose times a vector added in, g += xᵀ·z (compiled plans' row-blocked products).
void fx_rows_dot_f32(const float *x, long n, long k, const float *w, float *d);
void fx_rows_axpy_f32(const float *x, long n, long k, const float *z, float *g);

/// Products with a diagonal operand: whether an s×s matrix's off-diagonal entries are all ±0,
/// whether every entry is finite, and y[i, j] = d·x[i·rs + j·cs] with d the diagonal's entry of
/// row i (`by_rows`) or column j, multiplied from the left (`left`) or right (0 when a product is 0).
int fx_is_diagonal_f32(const float *a, long s);
int fx_all_finite_f32(const float *a, long n);
int fx_diagonal_scale_f32(const float *d, long ds, int by_rows, int left, const float *x, long rs, long cs,
                          float *y, long m, long n);

/// Transposes `batch` row-major rows×cols matrices of 4- or 8-byte elements, in cache blocks.
void fx_transpose(const void *src, void *dst, long batch, long rows, long cols, int element_size);

/// The lowest address of the calling thread's stack (0 if unknown): the interpreter turns deep
/// recursion into RecursionError before the stack runs out.
uintptr_t fx_stack_low_bound(void);
/// An address in the calling thread's current stack frame: the machine stack's, even where
/// AddressSanitizer keeps a function's locals on its fake stack.
uintptr_t fx_stack_here(void);

#endif
