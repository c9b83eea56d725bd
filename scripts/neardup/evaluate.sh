#!/usr/bin/env bash
# Near-duplicate precision and recall: builds the test set (generate.py), runs `newsd batch` with a ledger over
# it, and scores the duplicate_of fields (score.py), beside datasketch's MinHashLSH on the same texts when
# `pip install datasketch` has been done.
#
#   ./scripts/neardup/evaluate.sh                      (THRESHOLD=0.8 SEED=7 WORKERS=1 NEWSD_BINARY=.build/release/newsd)
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
# One worker by default: which member of a family is looked up first decides which pairs must match, and
# with two workers that order changes from run to run. With one it is the folder's readdir order, which
# differs between machines: score.py prints the ceiling over random orders beside this run's.
NEWSD_WORKERS=${WORKERS:-1} NEWSD_NEAR_DUPLICATE_THRESHOLD=$THRESHOLD "$BIN" batch --inbox "$DIR/run/inbox" --outbox "$DIR/run/outbox" \
    --state "$DIR/run/state" --on-success delete --quiet
python3 scripts/neardup/score.py "$DIR" --threshold "$THRESHOLD"
