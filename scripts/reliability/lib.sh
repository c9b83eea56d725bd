# Shared helpers for the reliability scenarios (sourced by chaos.sh, faults.sh, syscall-order.sh).
# Expects to run from the repository root.

# The binary: NEWSD_BINARY, else BUILD=release|debug, else release when built, else debug.
pick_binary() {
    if [ -n "${NEWSD_BINARY:-}" ]; then
        BIN=$NEWSD_BINARY
    elif [ -n "${BUILD:-}" ]; then
        BIN=.build/$BUILD/newsd
    elif [ -x .build/release/newsd ]; then
        BIN=.build/release/newsd
    else
        BIN=.build/debug/newsd
    fi
    [ -x "$BIN" ] || { echo "no newsd binary at $BIN: swift build (or set NEWSD_BINARY)" >&2; exit 2; }
}

CHECKER=scripts/reliability/check_spool.py

# Under scripts/sanitizers.sh (ASan): LeakSanitizer cannot run under ptrace, and these scenarios trace the daemon.
if [ -n "${ASAN_OPTIONS:-}" ]; then export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"; fi

# prepare_spool DIR N [staged]: a fresh spool at DIR/spool with N inputs in its inbox (renamed in, complete)
# and DIR/manifest.tsv. With "staged", the inputs wait in DIR/stage for drop_staged.
prepare_spool() {
    local dir=$1 n=$2
    rm -rf "$dir"
    mkdir -p "$dir/spool/inbox"
    python3 "$CHECKER" make "$dir/stage" "$n" --manifest "$dir/manifest.tsv" >/dev/null
    [ "${3:-}" = staged ] || drop_staged "$dir"
}

# rename_into FROM TO: renames the files named on stdin from FROM into TO. (Not mv: GNU mv looks at the
# destination after the rename, and a running daemon may have claimed it by then.)
rename_into() {
    python3 -c '
import os, sys
source, target = sys.argv[1], sys.argv[2]
for name in sys.stdin.read().split("\n"):
    if name:
        os.rename(os.path.join(source, name), os.path.join(target, name))
' "$1" "$2"
}

# drop_staged DIR: renames the staged inputs into the inbox.
drop_staged() {
    local dir=$1
    find "$dir/stage" -maxdepth 1 -type f -name '*.txt' -printf '%f\n' | rename_into "$dir/stage" "$dir/spool/inbox"
    rmdir "$dir/stage"
}

# wait_ready LOG PID: waits for the daemon's "ready" line (log level info or lower).
wait_ready() {
    local log=$1 pid=$2
    for _ in $(seq 1 600); do
        grep -q 'ready: recovery and first scan done' "$log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { echo "the daemon died before it was ready" >&2; return 1; }
        sleep 0.1
    done
    echo "the daemon was not ready within 60 s" >&2
    return 1
}

# start_daemon SPOOL LOG: starts `newsd run` in the background, sets DAEMON_PID. Settle time 0 (the inputs
# were renamed in whole), a short rescan interval, the ledger on.
start_daemon() {
    local spool=$1 log=$2
    NEWSD_LEDGER=true NEWSD_SETTLE_TIME=0 NEWSD_RESCAN_INTERVAL=1 NEWSD_WORKERS=${WORKERS:-0} \
        "$BIN" run --spool-root "$spool" --log-target stderr --log-level "${LOG_LEVEL:-notice}" >>"$log" 2>&1 &
    DAEMON_PID=$!
}

# remaining SPOOL: how many entries are still in inbox/ and work/.
remaining() {
    local spool=$1
    echo $(( $(ls -A "$spool/inbox" 2>/dev/null | wc -l) + $(ls -A "$spool/work" 2>/dev/null | wc -l) ))
}

# results SPOOL: outbox documents plus error documents.
results() {
    local spool=$1
    echo $(( $(ls "$spool/outbox" 2>/dev/null | wc -l) + $(ls "$spool/failed" 2>/dev/null | grep -c '\.error\.json$' || true) ))
}

# wait_drained SPOOL PID TIMEOUT: waits until inbox/ and work/ are empty; fails if the daemon dies or time
# runs out.
wait_drained() {
    local spool=$1 pid=$2 timeout=$3 waited=0
    while [ "$(remaining "$spool")" -gt 0 ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "the daemon (pid $pid) died before the spool drained" >&2
            return 1
        fi
        sleep 0.2
        waited=$((waited + 1))
        if [ $waited -gt $((timeout * 5)) ]; then
            echo "the spool did not drain within ${timeout}s ($(remaining "$spool") left)" >&2
            return 1
        fi
    done
}

# stop_daemon PID: SIGTERM (drain) and wait; sets STOP_STATUS to its exit status. (Not in a subshell:
# only the shell that started the daemon can wait for it.)
stop_daemon() {
    local pid=$1
    STOP_STATUS=0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || STOP_STATUS=$?
}

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

# wait_traced PID TRACER: waits (at most 5 s) until strace TRACER has attached to PID's main thread.
wait_traced() {
    local pid=$1 tracer=$2
    for _ in $(seq 1 100); do
        grep -q "^TracerPid:[[:space:]]*$tracer\$" "/proc/$pid/status" 2>/dev/null && return 0
        kill -0 "$tracer" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
