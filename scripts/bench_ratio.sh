#!/usr/bin/env bash
# CPU-time ratio of the crate's 100-point learning curve (D = 10^6, discrete spectrum
# s_k = k^-1.5) to a careful numpy + brentq script computing the same curve (issue #15).
# Runs both back to back, REPEATS times, for the P-curve and the lambda-curve; prints CPU
# seconds of each, the ratio, the crate's passes per point and the largest relative
# difference of the two answers. CPU time (not wall time), because the machine is shared.
#
# Usage: scripts/bench_ratio.sh [PYTHON] [REPEATS]
#   PYTHON: an interpreter with numpy and scipy (default /work/venv-bench/bin/python; e.g.
#   python3 -m venv /work/venv-bench && /work/venv-bench/bin/pip install numpy scipy).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-/work/venv-bench/bin/python}
REPEATS=${2:-3}
cargo build --release --example curve_csv >/dev/null 2>&1
BIN=target/release/examples/curve_csv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for rep in $(seq 1 "$REPEATS"); do
  for mode in p lambda; do
    crate_out=$("$BIN" "$mode" 3 "$TMP/$mode.csv" 2>&1)
    crate_cpu=$(awk '/cpu_seconds_per_curve/ {print $2}' <<<"$crate_out")
    passes=$(awk '/passes_per_point/ {print $2}' <<<"$crate_out")
    np_out=$("$PY" scripts/numpy_curve.py "$mode" "$TMP/$mode.csv")
    np_cpu=$(awk '/numpy_cpu_seconds/ {print $2}' <<<"$np_out")
    diff=$(awk '/max_rel_diff_all/ {print $2}' <<<"$np_out")
    ratio=$(awk -v a="$np_cpu" -v b="$crate_cpu" 'BEGIN {printf "%.1f", a / b}')
    printf 'run %d %-6s crate %.3f s CPU (%s passes/point)  numpy %.3f s CPU  ratio %sx  max rel diff %s\n' \
      "$rep" "$mode" "$crate_cpu" "$passes" "$np_cpu" "$ratio" "$diff"
  done
done
