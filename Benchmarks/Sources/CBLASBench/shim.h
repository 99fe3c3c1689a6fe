#ifndef FLUXION_BENCH_CBLAS_SHIM_H
#define FLUXION_BENCH_CBLAS_SHIM_H
#include <cblas.h>
/// The name of the OpenBLAS kernel chosen at load time (e.g. "Haswell", "SkylakeX").
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
int openblas_get_num_procs(void);
void openblas_set_num_threads(int);
#endif
