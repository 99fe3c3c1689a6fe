// OpenBLAS, loaded on first use with a kernel chosen for this CPU.
//
// OpenBLAS picks its kernels when it is loaded, from the CPU model, and falls back to its
// oldest x86-64 kernels ("Prescott", SSE3) for a model it does not know: Debian's 0.3.21 does
// not know Emerald Rapids, and runs sgemm there at a seventh of the speed its AVX-512 kernels
// reach. Fluxion therefore loads the library itself (not at process start, as a linked library
// would be) and, unless OPENBLAS_CORETYPE is already set, sets it for the load to the kernel
// family the CPU's instructions support: SkylakeX with AVX-512 (F, CD, BW, DQ, VL), Haswell
// with AVX2 and FMA; otherwise OpenBLAS chooses. The variable is removed again once loaded.
#include "CKernels.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct {
  __typeof__(cblas_sdot) *sdot;
  __typeof__(cblas_ddot) *ddot;
  __typeof__(cblas_sgemv) *sgemv;
  __typeof__(cblas_dgemv) *dgemv;
  __typeof__(cblas_sgemm) *sgemm;
  __typeof__(cblas_dgemm) *dgemm;
  __typeof__(openblas_get_corename) *get_corename;
  __typeof__(openblas_get_num_threads) *get_num_threads;
  __typeof__(openblas_set_num_threads) *set_num_threads;
  __typeof__(openblas_get_num_procs) *get_num_procs;
} blas;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;
static const char *chosen;

const char *fx_blas_kernel_for_cpu(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return NULL;
}

static void *symbol(void *lib, const char *name) {
  void *p = dlsym(lib, name);
  if (!p) {
    fprintf(stderr, "fluxion: OpenBLAS has no %s (%s)\n", name, dlerror());
    abort();
  }
  return p;
}

static void load(void) {
  const char *kernel = getenv("OPENBLAS_CORETYPE") ? NULL : fx_blas_kernel_for_cpu();
  if (kernel) setenv("OPENBLAS_CORETYPE", kernel, 0);
  void *lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!lib) lib = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
  if (kernel) unsetenv("OPENBLAS_CORETYPE");
  if (!lib) {
    fprintf(stderr,
            "fluxion: cannot load OpenBLAS (%s).\nInstall it with:  sudo apt-get install -y libopenblas-dev\n",
            dlerror());
    abort();
  }
  chosen = kernel;
  blas.sdot = symbol(lib, "cblas_sdot");
  blas.ddot = symbol(lib, "cblas_ddot");
  blas.sgemv = symbol(lib, "cblas_sgemv");
  blas.dgemv = symbol(lib, "cblas_dgemv");
  blas.sgemm = symbol(lib, "cblas_sgemm");
  blas.dgemm = symbol(lib, "cblas_dgemm");
  blas.get_corename = symbol(lib, "openblas_get_corename");
  blas.get_num_threads = symbol(lib, "openblas_get_num_threads");
  blas.set_num_threads = symbol(lib, "openblas_set_num_threads");
  blas.get_num_procs = symbol(lib, "openblas_get_num_procs");
}

#define LOADED pthread_once(&loaded, load)

const char *fx_blas_chosen_kernel(void) {
  LOADED;
  return chosen;
}
const char *fx_blas_corename(void) {
  LOADED;
  return blas.get_corename();
}
int fx_blas_get_num_threads(void) {
  LOADED;
  return blas.get_num_threads();
}
void fx_blas_set_num_threads(int n) {
  LOADED;
  blas.set_num_threads(n);
}
int fx_blas_get_num_procs(void) {
  LOADED;
  return blas.get_num_procs();
}

float fx_cblas_sdot(blasint n, const float *x, blasint incx, const float *y, blasint incy) {
  LOADED;
  return blas.sdot(n, x, incx, y, incy);
}
double fx_cblas_ddot(blasint n, const double *x, blasint incx, const double *y, blasint incy) {
  LOADED;
  return blas.ddot(n, x, incx, y, incy);
}
void fx_cblas_sgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, float alpha,
                    const float *a, blasint lda, const float *x, blasint incx, float beta, float *y, blasint incy) {
  LOADED;
  blas.sgemv(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void fx_cblas_dgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, double alpha,
                    const double *a, blasint lda, const double *x, blasint incx, double beta, double *y,
                    blasint incy) {
  LOADED;
  blas.dgemv(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void fx_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, blasint m, blasint n,
                    blasint k, float alpha, const float *a, blasint lda, const float *b, blasint ldb, float beta,
                    float *c, blasint ldc) {
  LOADED;
  blas.sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void fx_cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, blasint m, blasint n,
                    blasint k, double alpha, const double *a, blasint lda, const double *b, blasint ldb,
                    double beta, double *c, blasint ldc) {
  LOADED;
  blas.dgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
