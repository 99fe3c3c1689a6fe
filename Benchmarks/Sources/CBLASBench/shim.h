#ifndef FLUXION_BENCH_CBLAS_SHIM_H
#define FLUXION_BENCH_CBLAS_SHIM_H
// cblas.h's types only: the functions are looked up in the OpenBLAS that Fluxion loaded (see
// OpenBLAS in main.swift), so that the direct baseline runs the same kernel as Fluxion.
#include <cblas.h>
#include <dlfcn.h>
#endif
