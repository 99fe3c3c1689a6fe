#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include "CKernels.h"

uintptr_t fx_stack_low_bound(void) {
  pthread_attr_t attr;
  void *addr = 0;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  int ok = pthread_attr_getstack(&attr, &addr, &size) == 0;
  pthread_attr_destroy(&attr);
  return ok ? (uintptr_t)addr : 0;
}

uintptr_t fx_stack_here(void) { return (uintptr_t)__builtin_frame_address(0); }
