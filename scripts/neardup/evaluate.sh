#!/usr/bin/env bash
# Near-duplicate precision and recall: builds the test set (generate.py), runs `newsd batch` with a ledger over
# it, and scores the duplicate_of fields (score.py), beside datasketch's MinHashLSH on the same texts when
# `pip install datasketch` has been done.
#
#   ./scripts/neardup/evaluate.sh                      (THRESHOLD=0.8 SEED=7 NEWSD_BINARY=.build/release/newsd)
set -euo pipefail
cd "$(dirname "$0")/../.."

THRESHOLD=${THRESHOLD:-0.8}
SEED=${SEED:-7}
BIN=${NEWSD_BINARY:-.build/release/newsd}
DIR=${NEARDUP_DIR:-$(pwd)/.build/neardup}

[ -x "$BIN" ] || { echo "build first: swift build -c release (or set NEWSD_BINARY)" >&2; exit 1; }
rm -rf "$DIR"
python3 scripts/neardup/generate.py "$DIR" --seed "$SEED"
mkdir -p "$DIR/run"
cp -r "$DIR/inbox" "$DIR/run/inbox"
NEWSD_NEAR_DUPLICATE_THRESHOLD=$THRESHOLD "$BIN" batch --inbox "$DIR/run/inbox" --outbox "$DIR/run/outbox" \
    --state "$DIR/run/state" --on-success delete --quiet
python3 scripts/neardup/score.py "$DIR" --threshold "$THRESHOLD"
