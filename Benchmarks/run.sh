#!/usr/bin/env bash
# Runs Fluxion's benchmarks (fluxion-bench, eager) and JAX's (jax_bench.py, when a Python with JAX
# is found) and writes ../BENCHMARKS.md. `make bench` runs it from Benchmarks/ with
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, after building; it rebuilds here (cheap when up
# to date) so it also works on its own.
#
#   ./run.sh [--quick] [--only NAME[,NAME...]]
#
# JAX's Python: $JAX_PYTHON, else ../../.venv-jax/bin/python (relative to this folder).
# The raw JSON of the last run is kept in .build/bench-results/.
set -euo pipefail
cd "$(dirname "$0")"

SWIFT=${SWIFT:-swift}
FLAGS=(-c release -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native)
QUICK=()
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=(--quick) ;;
    --only) shift; IFS=, read -r -a more <<<"${1:?--only needs a value}"; ONLY+=("${more[@]}") ;;
    --only=*) IFS=, read -r -a more <<<"${1#--only=}"; ONLY+=("${more[@]}") ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# SwiftPM can keep a build plan that misses source files added to the path dependency (the
# main package) since the last build; planning anew is cheap.
rm -f .build/release.yaml .build/*/release/description.json
"$SWIFT" build "${FLAGS[@]}" ${SWIFT_BUILD_JOBS:+-j "$SWIFT_BUILD_JOBS"} >&2
BIN="$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)/fluxion-bench"

OUT=.build/bench-results
mkdir -p "$OUT"
rm -f "$OUT/fluxion.json" "$OUT/jax.json"

# --only NAME may name a workload only one side has: give each side the names it knows.
only_for() {  # only_for LIST_COMMAND... -> prints "--only a,b" or nothing; fails if no name is known
  [ ${#ONLY[@]} -eq 0 ] && return 0
  local known picked=()
  known=$("$@" --list)
  for n in "${ONLY[@]}"; do grep -qx -- "$n" <<<"$known" && picked+=("$n"); done
  [ ${#picked[@]} -gt 0 ] || return 1
  (IFS=,; echo "--only ${picked[*]}")
}

if FONLY=$(only_for "$BIN"); then
  # shellcheck disable=SC2086
  "$BIN" "${QUICK[@]}" $FONLY >"$OUT/fluxion.json"
else
  echo '{"results": {}}' >"$OUT/fluxion.json"
fi

# On an AVX-512 machine the headline rows run again on the AVX2 kernels (FLUXION_VECTOR_WIDTH=8),
# so the figures a CPU without AVX-512 gets are seen too.
HEADLINE=(add_1e7_f32 exp_1e7_f32 eager_sin_scalar normal_1e6 plot_1e6 gather_grad_1e6 at_add_1e6
  sum_axis0_4096 sum_axis1_4096 where_1e7 astype_1e7
  jit_plot_1e6 jit_hessian_100 jit_jacrev_tanh_256 jit_jacfwd_tanh_256 jit_logreg_grad_1e5x100)
AVX2_ARGS=()
rm -f "$OUT/fluxion-avx2.json"
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  picked=()
  for n in "${HEADLINE[@]}"; do
    if [ ${#ONLY[@]} -eq 0 ] || printf '%s\n' "${ONLY[@]}" | grep -qx -- "$n"; then picked+=("$n"); fi
  done
  if [ ${#picked[@]} -gt 0 ]; then
    FLUXION_VECTOR_WIDTH=8 "$BIN" "${QUICK[@]}" --only "$(IFS=,; echo "${picked[*]}")" >"$OUT/fluxion-avx2.json"
    AVX2_ARGS=(--fluxion-avx2 "$OUT/fluxion-avx2.json")
  fi
fi

PY=""
if [ -n "${JAX_PYTHON:-}" ]; then
  PY=$JAX_PYTHON
elif [ -x ../../.venv-jax/bin/python ]; then
  PY=../../.venv-jax/bin/python
fi
JAX_ARGS=(--jax-missing "JAX not installed")
if [ -n "$PY" ] && "$PY" -c "import jax" >/dev/null 2>&1; then
  if JONLY=$(only_for "$PY" jax_bench.py); then
    # shellcheck disable=SC2086
    if "$PY" jax_bench.py "${QUICK[@]}" $JONLY >"$OUT/jax.json"; then
      JAX_ARGS=(--jax "$OUT/jax.json")
    else
      echo "run.sh: jax_bench.py failed; the JAX column will be empty" >&2
      JAX_ARGS=(--jax-missing "jax_bench.py failed")
    fi
  else
    echo '{"jax_version": "'"$("$PY" -c 'import jax; print(jax.__version__)')"'", "results": {}}' >"$OUT/jax.json"
    JAX_ARGS=(--jax "$OUT/jax.json")
  fi
else
  echo "run.sh: no Python with JAX (set JAX_PYTHON, or create ../../.venv-jax); JAX column: n/a" >&2
fi

# The explorer's keystroke latency, bytes and memory (tui_latency.py, in a pty), with the release
# `fluxion` that `make bench` builds beside this package (FLUXION_BIN overrides, as for fluxion-bench).
TUI_ARGS=()
rm -f "$OUT/tui.json"
FLUXION=${FLUXION_BIN:-../.build/release/fluxion}
if [ ${#ONLY[@]} -eq 0 ] || printf '%s\n' "${ONLY[@]}" | grep -q '^tui'; then
  if [ -x "$FLUXION" ]; then
    if timeout 900 python3 tui_latency.py --fluxion "$FLUXION" "${QUICK[@]}" >"$OUT/tui.json"; then
      TUI_ARGS=(--tui "$OUT/tui.json")
    else
      echo "run.sh: tui_latency.py failed; no tui_* rows" >&2
    fi
  else
    echo "run.sh: no $FLUXION (swift build ${FLAGS[*]} --product fluxion); no tui_* rows" >&2
  fi
fi

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || true)
if [ -n "$COMMIT" ] && [ -n "$(git status --porcelain --untracked-files=no -- .. 2>/dev/null)" ]; then
  COMMIT="$COMMIT (with uncommitted changes)"
fi
python3 report.py --fluxion "$OUT/fluxion.json" ${AVX2_ARGS[@]+"${AVX2_ARGS[@]}"} "${JAX_ARGS[@]}" \
  ${TUI_ARGS[@]+"${TUI_ARGS[@]}"} --out ../BENCHMARKS.md \
  --flags "${FLAGS[*]}" --commit "$COMMIT" "${QUICK[@]}" \
  --env "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset}" --env "OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset}"
echo "OpenBLAS core: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("openblas_core","?"))' "$OUT/fluxion.json")" >&2
echo "wrote $(cd .. && pwd)/BENCHMARKS.md" >&2
cat ../BENCHMARKS.md
