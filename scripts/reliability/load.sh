#!/usr/bin/env bash
# Load (issue 5, item 7): N files (default 100,000, varied copies of the corpus) placed in the inbox before
# start, drained by the release daemon. RSS and open fds sampled every second into var/reliability/load-N.csv;
# fds compared at start, during and after the drain; throughput and RSS reported.
#
#   nice ./scripts/reliability/load.sh            N=10000 ./scripts/reliability/load.sh
#   NEWSD_BINARY=path (default .build/release/newsd; build with swift build -c release --static-swift-stdlib)
#
# Prints ROW|load-N|<inputs>|<lost>|<duplicated>|<partial>|<outcome>; exits 1 on a violation or an fd leak.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 scripts/reliability/load_drain.py "$@"
