#!/usr/bin/env bash
# Runs newsd over every development set in ../shared/eval/dev and prints score.py's tables.
#
#   scripts/eval.sh                 all sets, with the debug binary
#   NEWSD_BINARY=.build/release/newsd scripts/eval.sh quotes-polnear dates-tbaq
#
# The outputs stay in .build/eval/<set>/ for inspection. Keyword scoring needs nltk (pip install nltk);
# it is installed on first use when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${NEWSD_BINARY:-.build/debug/newsd}
EVAL=${EVAL_DIR:-../shared/eval}
OUT=.build/eval
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(quotes-polnear entities-conllpp dates-tbaq keywords-kpcrowd)
[ -x "$BIN" ] || swift build
python3 -c 'import nltk' 2>/dev/null || pip install -q nltk >/dev/null 2>&1 || true

for set in "${sets[@]}"; do
    rm -rf "$OUT/$set" "$OUT/$set.inbox"
    mkdir -p "$OUT/$set.inbox" "$OUT/$set"
    for f in "$EVAL/dev/$set"/*.json; do
        case "$f" in *.gold.json) ;; *) cp "$f" "$OUT/$set.inbox/" ;; esac
    done
    "$BIN" batch --inbox "$OUT/$set.inbox" --outbox "$OUT/$set" --failed "$OUT/$set.failed" \
        --archive "$OUT/$set.archive" --on-success delete --quiet >/dev/null 2>"$OUT/$set.log" || true
    echo "== $set"
    python3 "$EVAL/score.py" "$EVAL/dev/$set" "$OUT/$set"
done
