# Fluxion: `make run` builds and starts the explorer; `make test` builds and runs every test.
SHELL := /bin/bash
PACKAGES := libopenblas-dev libncursesw5-dev libsleef-dev tmux
SWIFT ?= swift
# Release builds target the host CPU (AVX2/AVX-512 where present); see BENCHMARKS.md.
RELEASE_FLAGS := -c release -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native

.PHONY: run test tsan asan bench fuzz deps build format

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Fluxion needs these system packages:$$missing"; \
	    echo "Install them with:  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product fluxion

run: build
	@$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/fluxion

# The numeric suites run again on the AVX2 and scalar kernels, as on CPUs without AVX-512.
NARROW_SUITES := VectorMathTests|XLANumericsTests|KernelWidthTests|LayoutKernelTests|KernelReferenceTests|OpsFixtureTests|PrimitiveRuleTests|Random|SeedTests|WholeProgram|CompilerBitIdentity

test: deps
	$(SWIFT) build
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2
	FLUXION_SOAK_MEMORY=1 $(SWIFT) test --skip-build --filter SoakTests
	FLUXION_VECTOR_WIDTH=8 $(SWIFT) test --skip-build --filter '$(NARROW_SUITES)'
	FLUXION_VECTOR_WIDTH=1 $(SWIFT) test --skip-build --filter '$(NARROW_SUITES)'

# The executor and concurrency suites under ThreadSanitizer, in a build directory of their own
# (the C kernels are never instrumented: Package.swift says why). ThreadBudgetTests counts
# samples of /proc in 1.5 s, too few under the sanitizer on a loaded machine; make test runs it.
TSAN_SUITES := ExecutorTests|ConcurrencyTests|PendingTests|ContextTests|JitCacheTests|EvaluatorTests|SoakTests
TSAN_FLAGS := --sanitize=thread --scratch-path .build-tsan

tsan: deps
	$(SWIFT) build --build-tests $(TSAN_FLAGS)
	$(SWIFT) test --skip-build $(TSAN_FLAGS) --filter '$(TSAN_SUITES)'

# The whole test suite under AddressSanitizer, in a build directory of its own. The explorer's
# end-to-end tests start the binary in tmux; under the sanitizer they run as the others do.
ASAN_FLAGS := --sanitize=address --scratch-path .build-asan

asan: deps
	$(SWIFT) build --build-tests $(ASAN_FLAGS)
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 $(SWIFT) test --skip-build $(ASAN_FLAGS) --parallel --num-workers 2

# Benchmarks run with the environment a user has: OpenBLAS picks its own kernel.
# (SwiftPM can keep a release build plan that misses files added since; planning anew is cheap.)
bench: deps
	rm -f .build/release.yaml .build/*/release/description.json
	rm -f Benchmarks/.build/release.yaml Benchmarks/.build/*/release/description.json
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(SWIFT) build $(RELEASE_FLAGS) --product fluxion
	cd Benchmarks && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(SWIFT) build $(RELEASE_FLAGS)
	cd Benchmarks && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./run.sh

# The fuzzers (Fuzz/, a package of its own): each of FUZZ_TARGETS for FUZZ_SECONDS (default 120);
# see Fuzz/fuzz-log.md.
fuzz: deps
	./Fuzz/run.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift
