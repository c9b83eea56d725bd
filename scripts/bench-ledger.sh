#!/usr/bin/env bash
# What the ledger costs end to end: runs scripts/bench-spool.sh with and without the ledger, alternating,
# ROUNDS times on the same files, and prints each run, the medians and the ratio with/without for files/s
# (throughput) and for the daemon's CPU time per file. Alternating pairs keep slow drifts of a shared
# machine from favouring one side; the CPU ratio is the steadier of the two when other work competes.
#
# Odd rounds run with the ledger first, even rounds without it first, so that neither side always
# follows the other.
#
#   ROUNDS=3 N=5000 ./scripts/bench-ledger.sh
#   BENCH_ROOT=/mnt/ext4 ROUNDS=6 ./scripts/bench-ledger.sh    (the runs' folders on another file system)
#
# Where the runs' folders are matters. An ext4 without a journal (this project's build VMs) looks for a
# free inode past every one freed in the last minutes (`recently_deleted` in the kernel's profile), and
# each run deletes its 5,000 inputs, so every run pays for the one before, and by how much drifts
# between runs and sides. A journalled ext4 (the Debian default; a loop-mounted image will do) does not.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
export N=${N:-5000}
BENCH_ROOT=${BENCH_ROOT:-$(pwd)/.build}
OUT=$(mktemp -d "$BENCH_ROOT/bench-ledger.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
# Every run gets a folder of its own, and all are removed only at the end: removing one run's 15,000 files
# just before the next run starts made ext4 scan thousands of recently deleted inodes for every file the
# next run created (perf: find_get_block_common and recently_deleted, a quarter of all CPU time), and how
# many there were drifted from run to run.
for round in $(seq 1 "$ROUNDS"); do
    order="1 0"
    [ $((round % 2)) = 0 ] && order="0 1"
    for ledger in $order; do
        BENCH_DIR="$OUT/spool-$round-$ledger" LEDGER=$ledger ./scripts/bench-spool.sh >"$OUT/run-$round-$ledger.txt"
        echo "round $round, ledger=$ledger: $(grep -E '^newsd drain' "$OUT/run-$round-$ledger.txt" | sed -E 's/.* = ([0-9]+) files\/s.*/\1 files\/s/'), $(grep -E '^daemon CPU' "$OUT/run-$round-$ledger.txt" | sed -E 's/.*= //')"
    done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def read(round_, ledger):
    text = open(f"{out}/run-{round_}-{ledger}.txt").read()
    rate = float(re.search(r"= (\d+) files/s", text).group(1))
    cpu = float(re.search(r"= ([\d.]+) ms per file", text).group(1))
    return rate, cpu
pairs = [(read(r, 1), read(r, 0)) for r in range(1, rounds + 1)]
rate_ratio = statistics.median(w[0] / wo[0] for w, wo in pairs)
cpu_ratio = statistics.median(w[1] / wo[1] for w, wo in pairs)
print(f"median files/s: with ledger {statistics.median(w[0] for w, _ in pairs):.0f}, "
      f"without {statistics.median(wo[0] for _, wo in pairs):.0f}; with/without (median of pairs) {rate_ratio * 100:.1f} %")
print(f"median CPU per file: with ledger {statistics.median(w[1] for w, _ in pairs):.3f} ms, "
      f"without {statistics.median(wo[1] for _, wo in pairs):.3f} ms; with/without {cpu_ratio * 100:.1f} %")
PY
