#!/usr/bin/env bash
# Poison that crashes the process (issue 5, item 3), with the debug build's test hook: an input holding
# NEWSD-TEST-HOOK:crash makes the analysis trap when NEWSD_TEST_HOOKS=1. A supervisor loop restarts the
# daemon after each crash, as systemd's Restart=on-failure does. Expected: exactly max_analysis_crashes (3)
# crashes, then the file in failed/ with analysis-crashed, and every other input in the outbox.
#
#   scripts/reliability/poison.sh            N=500 good inputs + 1 poison, debug binary
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/reliability/lib.sh
BUILD=${BUILD:-debug}
pick_binary
N=${N:-500}
OUT=${OUT:-var/reliability/poison}
prepare_spool "$OUT" "$N" staged
printf 'A story that ends badly.\n\nNEWSD-TEST-HOOK:crash\n' >"$OUT/stage/poison-crash.txt"
printf 'poison-crash.txt\t%s\tfailed\n' "$(sha256sum <"$OUT/stage/poison-crash.txt" | cut -d' ' -f1)" >>"$OUT/manifest.tsv"
drop_staged "$OUT"

crashes=0
start=$(date +%s.%N)
for round in $(seq 1 8); do
    SWIFT_BACKTRACE=enable=no NEWSD_TEST_HOOKS=1 NEWSD_SETTLE_TIME=0 NEWSD_WORKERS=2 "$BIN" run --spool-root "$OUT/spool" --log-target stderr \
        2>"$OUT/daemon-$round.log" &
    pid=$!
    while kill -0 $pid 2>/dev/null; do
        done_count=$( (find "$OUT/spool/outbox" "$OUT/spool/failed" -maxdepth 1 -name '*.json' -not -name '.*' 2>/dev/null || true) | wc -l)
        [ "$done_count" -ge $((N + 1)) ] && [ -z "$(ls -A "$OUT/spool/work" 2>/dev/null)" ] && break
        sleep 0.2
    done
    if kill -0 $pid 2>/dev/null; then
        kill -TERM $pid
        wait $pid || true
        break
    fi
    status=0
    wait $pid || status=$?
    [ $status -gt 128 ] || { echo "round $round: the daemon exited with $status, not by a signal" >&2; exit 1; }
    crashes=$((crashes + 1))
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["code"])' \
    "$OUT/spool/failed/poison-crash.txt.error.json" 2>/dev/null || echo none)
echo "crashes: $crashes; poison-crash.txt: $code"
# The checker's row (exactly one result per input, whole documents, work/ empty, ledger agrees), with the
# crash count and the poison's code added to its outcome.
set +e
row=$(python3 "$CHECKER" check "$OUT/spool" "$OUT/manifest.tsv" | grep '^ROW|')
checked=$?
set -e
ok=yes
[ $checked -eq 0 ] && [ "$crashes" -eq 3 ] && [ "$code" = analysis-crashed ] || ok=no
echo "$row" | awk -F'|' -v c="$crashes" -v code="$code" -v t="$elapsed" -v ok="$ok" \
    'BEGIN {OFS="|"} {$2 = "poison: the analysis traps (supervisor restarts)"; $7 = $7 "; " c " crashes, then the poison in failed/ as " code "; " sprintf("%.1f", t) " s"; print}'
[ "$ok" = yes ]
