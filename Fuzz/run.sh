#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (FUZZ_SECONDS each, default 120; FUZZ_TARGETS, default
# all four: language grammar ops session) over a copy of its committed corpus (corpus/TARGET/, and
# for the language the seed scripts in ../examples/seed), then appends a row per target to
# fuzz-log.md: executions and crashes. A crash's input is copied to
# ../Tests/FluxionLangTests/Fixtures/fuzz-regressions/ (language, grammar: as a script) or
# fuzz-regressions/TARGET/, where FuzzRegressionTests runs it in every `make test`.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-120}"
targets="${FUZZ_TARGETS:-language grammar ops session}"
# FUZZ_SKIP_BUILD=1 runs the fuzzer built last (long runs while the sources are being edited).
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld --product fluxion-fuzz
fi
bin="$(swift build -c release -Xswiftc -sanitize=fuzzer --show-bin-path)/fluxion-fuzz"
regressions=../Tests/FluxionLangTests/Fixtures/fuzz-regressions
failed=0
for target in $targets; do
  work="$(mktemp -d)"
  mkdir -p "$work/corpus" "$work/crashes"
  cp corpus/"$target"/* "$work/corpus/"
  if [ "$target" = language ]; then cp ../examples/seed/*.py "$work/corpus/"; fi
  set +e
  # Swift's backtracer would take a trap's signal from libFuzzer, which then saves no input.
  SWIFT_BACKTRACE=enable=no FLUXION_FUZZ_TARGET="$target" "$bin" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=4096 -artifact_prefix="$work/crashes/" -print_final_stats=1 >"$work/log" 2>&1
  status=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || true)
  # A crash ends the run before the final statistics: count up to its last status line.
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$work/log" | tail -n 1 | tr -d '#')
  [ -n "$execs" ] || execs=0
  crashes=$(ls "$work/crashes" | wc -l)
  for f in "$work/crashes"/*; do
    [ -e "$f" ] || continue
    case "$target" in
      language) mkdir -p "$regressions"; cp "$f" "$regressions/$(basename "$f").py" ;;
      *) mkdir -p "$regressions/$target"; cp "$f" "$regressions/$target/$(basename "$f")" ;;
    esac
  done
  printf '| %s | %s | %s s | %s | %s | %s |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$target" "$seconds" "$execs" "$crashes" \
    "$status" >>fuzz-log.md
  tail -n 3 "$work/log"
  echo "fuzz $target: $execs executions, $crashes crashes (logged in Fuzz/fuzz-log.md)"
  [ "$crashes" -eq 0 ] || failed=1
  rm -rf "$work"
done
exit "$failed"
