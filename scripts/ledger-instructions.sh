#!/usr/bin/env bash
# What the ledger costs in instructions: the same drain as scripts/ledger-cpu-share.sh (N files, with and
# without the ledger, through scripts/bench-spool.sh), each run under valgrind's callgrind, which counts the
# instructions the daemon executes in user space. Counts do not move with the load of other machines as
# CPU time does (runs of one build differ by well under 1 %, against ±3 points for the CPU share), so two
# builds can be compared in one pair of runs. What they leave out: the kernel's part (the spool's file
# system calls, SQLite's reads and writes) and cache misses, so they are a guide to the ledger's own code,
# not a throughput. Needs valgrind (Debian: valgrind); valgrind 3.19 cannot read the toolchain's DWARF 5, so
# the script runs a copy of the binary without its debug sections. Build it with --static-swift-stdlib (as
# `make bench` does): valgrind 3.19 crashed at start-up in the shared libdispatch of a dynamically linked
# build. A run of 5,000 files takes about two minutes.
#
#   N=5000 FEED=mixed ./scripts/ledger-instructions.sh
#   NEWSD_BINARY=/path/to/other/newsd ./scripts/ledger-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
export N=${N:-5000}
export FEED=${FEED:-mixed}
BIN=${NEWSD_BINARY:-.build/release/newsd}
[ -x "$BIN" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 1; }
BENCH_ROOT=${BENCH_ROOT:-/dev/shm}
OUT=$(mktemp -d "$BENCH_ROOT/ledger-instructions.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
strip --strip-debug -o "$OUT/newsd" "$BIN"
for ledger in 1 0; do
    NEWSD_BINARY="$OUT/newsd" CALLGRIND_OUT="$OUT/callgrind-$ledger.out" BENCH_DIR="$OUT/spool-$ledger" LEDGER=$ledger \
        ./scripts/bench-spool.sh >"$OUT/run-$ledger.txt"
    callgrind_annotate --inclusive=yes --threshold=100 "$OUT/callgrind-$ledger.out" >"$OUT/inclusive-$ledger.txt"
done
python3 - "$OUT" "$N" <<'PY'
import re, sys
out, n = sys.argv[1], int(sys.argv[2])
# Inclusive counts of the functions that stand for each part (mangled Swift names).
parts = {
    "analysis": r"\$s8Analysis8AnalyzerV7analyzeyA2AVAA7ArticleVF$",
    "fingerprint": r"\$s6Ledger11FingerprintV4textACSgSS_tcfC$",
    "lookup": r"\$s6LedgerAAC7reserve2id4name8received11fingerprint21mayHaveEarlierAttempt.*F$",
    "row": r"\$s6Ledger0A5EntryV2id4name10outboxName8received8analysis11fingerprint11duplicateOf.*tcfC$",
}
def counts(ledger):
    found = {}
    for line in open(f"{out}/inclusive-{ledger}.txt"):
        match = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+)", line)
        if not match:
            continue
        value, name = int(match.group(1).replace(",", "")), match.group(2)
        if name == "PROGRAM":
            found["total"] = value
        symbol = name.split(":", 1)[-1]
        for part, pattern in parts.items():
            if part not in found and re.search(pattern, symbol):
                found[part] = value
    return found
with_ledger, without = counts(1), counts(0)
for label, found in (("with ledger", with_ledger), ("without", without)):
    print(f"{label:12} {found['total'] / n / 1e6:7.3f} M instructions per file, analysis {found['analysis'] / n / 1e6:.3f} M")
print("ledger parts per file: " + ", ".join(
    f"{part} {with_ledger.get(part, 0) / n / 1e3:.0f} k" for part in ("fingerprint", "lookup", "row")))
print(f"instructions with/without the ledger: {with_ledger['total'] / without['total'] * 100:.1f} % "
      f"(per analysis instruction: {with_ledger['total'] / with_ledger['analysis'] / (without['total'] / without['analysis']) * 100:.1f} %)")
PY
