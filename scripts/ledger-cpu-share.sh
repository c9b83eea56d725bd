#!/usr/bin/env bash
# What the ledger costs in CPU, measured so that a noisy machine moves it little: a drain of the same files
# with and without the ledger, each recorded with perf (scripts/bench-spool.sh with PERF_DATA), and for
# each, all of the daemon's samples per sample in the analysis (`Analyzer.analyze` on the stack). The
# analysis is the same code on the same files either way, and it slows down with the rest when other work
# competes, so the ratio of the two runs' figures is the CPU ratio with/without the ledger. Needs perf
# (Debian: linux-perf).
#
#   N=10000 FEED=mixed ./scripts/ledger-cpu-share.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "perf is missing (apt-get install linux-perf)" >&2; exit 1; }
export N=${N:-10000}
BENCH_ROOT=${BENCH_ROOT:-/dev/shm}
OUT=$(mktemp -d "$BENCH_ROOT/ledger-cpu-share.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
for ledger in 1 0; do
    PERF_DATA="$OUT/perf-$ledger.data" BENCH_DIR="$OUT/spool-$ledger" LEDGER=$ledger ./scripts/bench-spool.sh >"$OUT/run-$ledger.txt"
    perf script -i "$OUT/perf-$ledger.data" -F ip,sym 2>/dev/null >"$OUT/stacks-$ledger.txt"
done
python3 - "$OUT" <<'PY'
import itertools, sys
out = sys.argv[1]
def shares(ledger):
    # One sample a call chain: its frames, one a line, then an empty line.
    total = analysis = 0
    frames = 0
    in_analysis = False
    for line in itertools.chain(open(f"{out}/stacks-{ledger}.txt", errors="replace"), [""]):
        if line.strip():
            frames += 1
            in_analysis = in_analysis or "8Analysis8AnalyzerV7analyze" in line
        elif frames:
            total += 1
            analysis += in_analysis
            frames, in_analysis = 0, False
    return total, analysis
(with_total, with_analysis), (without_total, without_analysis) = shares(1), shares(0)
with_ratio, without_ratio = with_total / with_analysis, without_total / without_analysis
print(f"samples per analysis sample: with ledger {with_ratio:.3f} ({with_total} samples), "
      f"without {without_ratio:.3f} ({without_total})")
print(f"CPU with/without the ledger: {with_ratio / without_ratio * 100:.1f} %")
PY
