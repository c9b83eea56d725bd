#!/usr/bin/env bash
# Runs the Analysis fuzzer for SECONDS (default 60) and prints executions, coverage and crashes.
#
#   scripts/fuzz/run.sh 600
#
# Seeds: Fuzz/seeds/ (a few tiny hand-written inputs) plus, built here at run time, every corpus and example
# article from the shared folder (../shared beside the checkout, or $SHARED) with the first byte choosing its
# format. Inputs that add coverage accumulate in .build-fuzz/corpus, so later runs start from them; crashes
# and timeouts land in .build-fuzz/artifacts/. Exit status: 0 when nothing was found, else non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
OUT=${OUT:-.build-fuzz}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
FUZZER="$OUT/AnalysisFuzzer"

source scripts/fuzz/sources.sh
if [ ! -x "$FUZZER" ] || [ -n "$(find "${fuzzed_sources[@]}" Fuzz -name '*.swift' -newer "$FUZZER" | head -1)" ]; then
    scripts/fuzz/build.sh
fi

SEEDS="$OUT/seeds"
rm -rf "$SEEDS" && mkdir -p "$SEEDS" "$OUT/corpus" "$OUT/artifacts"
cp Fuzz/seeds/* "$SEEDS/"
# Control byte (see Fuzz/AnalysisFuzzer.swift): bits 0-1 format (0 text, 1 markdown, 2 json, 3 html).
seed() { # control-byte source-file
    { printf "\\x$1"; cat "$2"; } > "$SEEDS/$(basename "$2").$1"
}
count=0
for file in "$SHARED"/corpus/*/*.txt "$SHARED"/corpus/*/*.md "$SHARED"/examples/*.txt "$SHARED"/examples/*.json; do
    [ -f "$file" ] || continue
    case "$file" in
        *.txt) seed 00 "$file" ;;
        *.md) seed 01 "$file" ;;
        *.json) seed 02 "$file" ;;
    esac
    count=$((count + 1))
done
# Every sentence of the corpus on its own as well: a rule that looks at the word before or after the one it
# matched meets the start or the end of a text there. (A text beginning "Recent opinion polling…" crashed the
# date grammar; whole articles begin with their titles, and the fuzzer never moved that word to the front.)
sentences=0
for file in "$SHARED"/corpus/*/*.txt; do
    [ -f "$file" ] || continue
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        sentences=$((sentences + 1))
        { printf '\x00'; printf '%s\n' "$line"; } > "$SEEDS/sentence-$sentences.00"
    done < <(tail -n +2 "$file" | sed -E 's/([.!?]["\x27”’]?) +/\1\n/g')
done
# A few corpus texts as markdown and wrapped as HTML, so those paths start from real prose too.
for file in $(ls "$SHARED"/corpus/*/*.txt 2>/dev/null | head -10); do
    seed 01 "$file"
    { printf '\x03<html><head><title>Seed</title></head><body><p>'; sed 's/&/\&amp;/g; s/</\&lt;/g; s/^$/<\/p><p>/' "$file"; printf '</p></body></html>'; } \
        > "$SEEDS/$(basename "$file").html"
done
echo "seeds: $count shared files, $sentences of their sentences + $(ls Fuzz/seeds | wc -l) in Fuzz/seeds → $(ls "$SEEDS" | wc -l) inputs; corpus $OUT/corpus: $(ls "$OUT/corpus" | wc -l) inputs"

LOG="$OUT/run.log"
status=0
"$FUZZER" \
    -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -dict=Fuzz/analysis.dict -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/" \
    "$OUT/corpus" "$SEEDS" > "$LOG" 2>&1 || status=$?

# libFuzzer's last status line ("#N DONE cov: C ft: F corp: …") and its final stats.
last=$(grep -E '^#[0-9]+' "$LOG" | tail -1 || true)
echo "last status: $last"
grep -E '^stat::' "$LOG" || true
echo "coverage: cov $(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$last") ft $(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$last")"
artifacts=$(ls "$OUT/artifacts" | wc -l)
echo "artifacts (crashes/timeouts/ooms) in $OUT/artifacts: $artifacts"
if [ "$status" -ne 0 ]; then
    echo "fuzzer exit status $status; the report:" >&2
    grep -E -A40 'ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|AnalysisFuzzer:' "$LOG" | head -80 >&2 || tail -40 "$LOG" >&2
fi
exit "$status"
