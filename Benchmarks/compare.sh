#!/usr/bin/env bash
# Measures every fluxion-bench workload at two commits in one run, alternating between the two
# builds workload by workload, and prints a Markdown table of before, after and the change. A row more than 5% slower
# is marked. Each side is built in its own worktree under .build/compare/.
#
#   ./compare.sh BASE [HEAD] [--rounds N]     (HEAD defaults to the working tree)
#
# Like `make bench`, it unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE.
set -euo pipefail
cd "$(dirname "$0")"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE

BASE=${1:?usage: compare.sh BASE [HEAD] [--rounds N]}
shift
HEAD_REV=""
ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) shift; ROUNDS=${1:?--rounds needs a value} ;;
    *) HEAD_REV=$1 ;;
  esac
  shift
done

SWIFT=${SWIFT:-swift}
FLAGS=(-c release -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native)
WORK=.build/compare
mkdir -p "$WORK"

# checkout REV DIR: a detached worktree of REV at DIR (kept, with its build, while it holds REV).
checkout() {
  if [ -d "$2" ] && [ "$(git -C "$2" rev-parse HEAD 2>/dev/null)" = "$(git rev-parse "$1^{commit}")" ]; then
    return
  fi
  git worktree remove --force "$2" >/dev/null 2>&1 || rm -rf "$2"
  git worktree prune
  git worktree add --detach "$2" "$1" >/dev/null
}

build() {  # build DIR -> prints the fluxion-bench path
  (cd "$1/Benchmarks" && "$SWIFT" build "${FLAGS[@]}" >&2 && echo "$PWD/$("$SWIFT" build "${FLAGS[@]}" --show-bin-path | sed "s|^$PWD/||")/fluxion-bench")
}

checkout "$BASE" "$WORK/base"
BEFORE=$(build "$WORK/base")
if [ -n "$HEAD_REV" ]; then
  checkout "$HEAD_REV" "$WORK/head"
  AFTER=$(build "$WORK/head")
else
  AFTER=$(build ..)
fi

# Each workload is run on both sides back to back (this machine's speed drifts by tens of percent
# over minutes), once per round; a side's figure is its best round.
WORKLOADS=$("$BEFORE" --list)
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  for w in $WORKLOADS; do
    "$BEFORE" --only "$w" >"$WORK/before-$r-$w.json"
    "$AFTER" --list | grep -qx -- "$w" && "$AFTER" --only "$w" >"$WORK/after-$r-$w.json"
  done
  python3 - "$WORK" "$r" $WORKLOADS <<'MERGE'
import json, os, sys
work, r, names = sys.argv[1], sys.argv[2], sys.argv[3:]
for side in ("before", "after"):
    merged = {"results": {}}
    for w in names:
        path = f"{work}/{side}-{r}-{w}.json"
        if os.path.exists(path):
            merged["results"].update(json.load(open(path)).get("results", {}))
            os.remove(path)
    json.dump(merged, open(f"{work}/{side}-{r}.json", "w"))
MERGE
done

python3 - "$WORK" "$ROUNDS" "$BASE" "${HEAD_REV:-working tree}" <<'PY'
import json, sys
work, rounds, base, head = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def load(side):
    runs = [json.load(open(f"{work}/{side}-{r}.json"))["results"] for r in range(1, rounds + 1)]
    return {k: min(run[k] for run in runs if k in run) for k in runs[0]}
before, after = load("before"), load("after")
def fmt(s):
    for unit, scale in (("s", 1), ("ms", 1e3), ("µs", 1e6), ("ns", 1e9)):
        if s * scale >= 1:
            return f"{s * scale:.3g} {unit}"
    return f"{s * 1e9:.3g} ns"
print(f"| workload | before ({base}) | after ({head}) | change |")
print("| --- | ---: | ---: | ---: |")
slower = []
for k in before:
    if k not in after:
        continue
    change = after[k] / before[k] - 1
    mark = " **slower**" if change > 0.05 else ""
    if change > 0.05:
        slower.append(k)
    print(f"| `{k}` | {fmt(before[k])} | {fmt(after[k])} | {change * 100:+.1f}%{mark} |")
print(f"\nBest of {rounds} rounds per side; in each round every workload runs on both sides back to back (each run reports a median).")
print("Rows more than 5% slower: " + (", ".join(slower) if slower else "none") + ".")
PY
