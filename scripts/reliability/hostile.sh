#!/usr/bin/env bash
# Hostile drops (issue 5, item 5): races a symlink to a secret over dropped files, hostile names, JSON/HTML
# nested 100,000 deep, unclosed front matter, a 200 MB single line, 10,000 empty files, files truncated or
# unlinked while processed, directories, FIFOs, devices, sockets and hard links — each against a real
# `newsd run` on its own spool under var/reliability/hostile/.
#
#   ./scripts/reliability/hostile.sh                       (every scenario)
#   ./scripts/reliability/hostile.sh symlink-race big-line (some)
#   HOSTILE_RACE_ROUNDS=5000 HOSTILE_EMPTY_FILES=20000 HOSTILE_BIG_LINE_MB=200 HOSTILE_VANISH_FILES=2000
#   NEWSD_BINARY=path (default .build/release/newsd, else .build/debug/newsd)
#
# Prints ROW|<scenario>|<inputs>|<lost>|<duplicated>|<partial>|<outcome> per scenario; exits 1 on any violation.
# Needs root (mknod for the device scenario) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 scripts/reliability/hostile_drops.py "$@"
