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
  __typeof__(cblas_strsm) *strsm;
  __typeof__(cblas_dtrsm) *dtrsm;
  // LAPACK's Fortran entry points (column-major, every argument by pointer, one hidden length
  // per character argument), as libopenblas exports them.
  void (*getrf[2])(const int *m, const int *n, void *a, const int *lda, int *ipiv, int *info);
  void (*potrf[2])(const char *uplo, const int *n, void *a, const int *lda, int *info, size_t uplo_len);
  void (*syevd[2])(const char *jobz, const char *uplo, const int *n, void *a, const int *lda, void *w, void *work,
                   const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_len, size_t uplo_len);
  void (*gesdd[2])(const char *jobz, const int *m, const int *n, void *a, const int *lda, void *s, void *u,
                   const int *ldu, void *vt, const int *ldvt, void *work, const int *lwork, int *iwork, int *info,
                   size_t jobz_len);
  void (*geqrf[2])(const int *m, const int *n, void *a, const int *lda, void *tau, void *work, const int *lwork,
                   int *info);
  void (*orgqr[2])(const int *m, const int *n, const int *k, void *a, const int *lda, const void *tau, void *work,
                   const int *lwork, int *info);
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
  blas.strsm = symbol(lib, "cblas_strsm");
  blas.dtrsm = symbol(lib, "cblas_dtrsm");
  // Each LAPACK routine's float (s) and double (d) entry points.
#define LAPACK(routine)                           \
  blas.routine[0] = symbol(lib, "s" #routine "_"); \
  blas.routine[1] = symbol(lib, "d" #routine "_")
  LAPACK(getrf);
  LAPACK(potrf);
  LAPACK(syevd);
  LAPACK(gesdd);
  LAPACK(geqrf);
  LAPACK(orgqr);
#undef LAPACK
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

void fx_blas_trsm(int f64, int left, int lower, int trans_a, int unit_diagonal, int m, int n, const void *a, int lda,
                  void *b, int ldb) {
  LOADED;
  enum CBLAS_SIDE side = left ? CblasLeft : CblasRight;
  enum CBLAS_UPLO uplo = lower ? CblasLower : CblasUpper;
  enum CBLAS_TRANSPOSE t = trans_a ? CblasTrans : CblasNoTrans;
  enum CBLAS_DIAG diag = unit_diagonal ? CblasUnit : CblasNonUnit;
  if (f64)
    blas.dtrsm(CblasColMajor, side, uplo, t, diag, m, n, 1.0, a, lda, b, ldb);
  else
    blas.strsm(CblasColMajor, side, uplo, t, diag, m, n, 1.0f, a, lda, b, ldb);
}

// LAPACK, column-major. A workspace query (lwork = -1) sizes each call's workspace, which is
// allocated here; -1000 is returned when that allocation fails.

/// The workspace size a query wrote into `w` (a float or a double).
static int work_size(int f64, const void *w) {
  double v = f64 ? *(const double *)w : (double)*(const float *)w;
  return v < 1 ? 1 : (int)v + 1;
}

int fx_lapack_getrf(int f64, int m, int n, void *a, int *ipiv) {
  LOADED;
  int info = 0, lda = m > 1 ? m : 1;
  blas.getrf[f64 != 0](&m, &n, a, &lda, ipiv, &info);
  return info;
}

int fx_lapack_potrf(int f64, int lower, int n, void *a) {
  LOADED;
  int info = 0, lda = n > 1 ? n : 1;
  blas.potrf[f64 != 0](lower ? "L" : "U", &n, a, &lda, &info, 1);
  return info;
}

int fx_lapack_syevd(int f64, int lower, int n, void *a, void *w) {
  LOADED;
  int info = 0, lda = n > 1 ? n : 1, lwork = -1, liwork = -1, iquery = 0;
  double query = 0;
  blas.syevd[f64 != 0]("V", lower ? "L" : "U", &n, a, &lda, w, &query, &lwork, &iquery, &liwork, &info, 1, 1);
  if (info != 0) return info;
  lwork = work_size(f64, &query);
  liwork = iquery > 1 ? iquery : 1;
  void *work = malloc((size_t)lwork * (f64 ? 8 : 4));
  int *iwork = malloc((size_t)liwork * sizeof(int));
  if (!work || !iwork) {
    free(work);
    free(iwork);
    return -1000;
  }
  blas.syevd[f64 != 0]("V", lower ? "L" : "U", &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
  free(work);
  free(iwork);
  return info;
}

int fx_lapack_gesdd(int f64, char jobz, int m, int n, void *a, void *s, void *u, int ldu, void *vt, int ldvt) {
  LOADED;
  int info = 0, lda = m > 1 ? m : 1, lwork = -1, k = m < n ? m : n;
  double query = 0;
  int *iwork = malloc((size_t)(8 * (k > 1 ? k : 1)) * sizeof(int));
  if (!iwork) return -1000;
  if (ldu < 1) ldu = 1;
  if (ldvt < 1) ldvt = 1;
  char job[2] = {jobz, 0};
  blas.gesdd[f64 != 0](job, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &query, &lwork, iwork, &info, 1);
  if (info == 0) {
    lwork = work_size(f64, &query);
    void *work = malloc((size_t)lwork * (f64 ? 8 : 4));
    if (work) {
      blas.gesdd[f64 != 0](job, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info, 1);
      free(work);
    } else {
      info = -1000;
    }
  }
  free(iwork);
  return info;
}

int fx_lapack_geqrf(int f64, int m, int n, void *a, void *tau) {
  LOADED;
  int info = 0, lda = m > 1 ? m : 1, lwork = -1;
  double query = 0;
  blas.geqrf[f64 != 0](&m, &n, a, &lda, tau, &query, &lwork, &info);
  if (info != 0) return info;
  lwork = work_size(f64, &query);
  void *work = malloc((size_t)lwork * (f64 ? 8 : 4));
  if (!work) return -1000;
  blas.geqrf[f64 != 0](&m, &n, a, &lda, tau, work, &lwork, &info);
  free(work);
  return info;
}

int fx_lapack_orgqr(int f64, int m, int n, int k, void *a, const void *tau) {
  LOADED;
  int info = 0, lda = m > 1 ? m : 1, lwork = -1;
  double query = 0;
  blas.orgqr[f64 != 0](&m, &n, &k, a, &lda, tau, &query, &lwork, &info);
  if (info != 0) return info;
  lwork = work_size(f64, &query);
  void *work = malloc((size_t)lwork * (f64 ? 8 : 4));
  if (!work) return -1000;
  blas.orgqr[f64 != 0](&m, &n, &k, a, &lda, tau, work, &lwork, &info);
  free(work);
  return info;
}
