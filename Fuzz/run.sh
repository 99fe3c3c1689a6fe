#!/usr/bin/env bash
# Runs the language fuzzer for a bounded time (FUZZ_SECONDS, default 120) over a copy of the
# committed corpus (corpus/ and the seed scripts in ../examples/seed), then appends what it did to fuzz-log.md: executions, new corpus entries and
# crashes. A crash's input is copied to ../Tests/FluxionLangTests/Fixtures/fuzz-regressions/,
# where FuzzRegressionTests runs it in every `make test`.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-120}"
swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld --product fluxion-fuzz
bin="$(swift build -c release -Xswiftc -sanitize=fuzzer --show-bin-path)/fluxion-fuzz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/crashes"
cp corpus/* ../examples/seed/*.py "$work/corpus/"
set +e
"$bin" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 >"$work/log" 2>&1
status=$?
set -e
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
crashes=$(ls "$work/crashes" | wc -l)
regressions=../Tests/FluxionLangTests/Fixtures/fuzz-regressions
mkdir -p "$regressions"
for f in "$work/crashes"/*; do
  [ -e "$f" ] || continue
  cp "$f" "$regressions/$(basename "$f").py"
done
{
  printf '| %s | %s s | %s | %s | %s |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$seconds" "$execs" "$crashes" "$status"
} >>fuzz-log.md
tail -n 3 "$work/log"
echo "fuzz: $execs executions, $crashes crashes (logged in Fuzz/fuzz-log.md)"
[ "$crashes" -eq 0 ]
