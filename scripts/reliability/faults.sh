#!/usr/bin/env bash
# Fault injection (issue 5, item 2): for each scenario, drains N files (default 1,000) with strace attached
# to the daemon from its start, injecting an error into a burst of one syscall aimed at the outbox, failed/
# and the ledger in state/:
#   fsync-eio       fsync → EIO        (temporaries and directories of outbox/ and failed/)
#   fsync-dir-eio   fsync → EIO        (the outbox/ and failed/ directories only: after the link)
#   write-eio       write → EIO        (temporary documents in outbox/ and failed/)
#   link-enospc     linkat → ENOSPC    (links into outbox/ and failed/)
#   rename-enospc   renameat → ENOSPC  (renames out of work/ into archive/ and failed/: the disposal)
#   openat-eacces   openat → EACCES    (temporary documents in outbox/ and failed/)
#   ledger-eio      pwrite64 → EIO     (state/ledger.sqlite-wal and state/ledger.sqlite: commits; with
#                   synchronous=NORMAL the ledger does not fsync per commit, only at checkpoints)
# The burst is `when=FROM..TO` (default 5..9): the FROM-th to TO-th matching call of each thread fails;
# afterwards the calls succeed again ("the fault stops"). strace counts per thread and per syscall, and a
# paused daemon retries on one thread with back-off doubling from 250 ms, so a longer burst mostly costs
# waiting time.
#
# Expected, and checked: the daemon pauses claiming and retries with back-off (its log says so), no
# article is misfiled as failed, everything drains once the faults stop, the invariants of check_spool.py
# hold, every article's result went fsync(temp) → link → fsync(dir) → disposal in the trace, and every
# temporary whose fsync failed was never linked and its article was read again from work/ (the page cache
# is never trusted).
#
#   scripts/reliability/faults.sh                       all scenarios
#   scripts/reliability/faults.sh fsync-eio ledger-eio  some
#   N=200 BUILD=debug scripts/reliability/faults.sh     smaller, debug binary
# Each scenario prints its ROW line; exits non-zero if any scenario fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/reliability/lib.sh
pick_binary
N=${N:-1000}
BURST=${BURST:-5..9}
OUT_ROOT=${OUT:-var/reliability/faults}
command -v strace >/dev/null || { echo "strace is needed (apt-get install strace)" >&2; exit 2; }
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(fsync-eio fsync-dir-eio write-eio link-enospc rename-enospc openat-eacces ledger-eio)

describe() {
    case $1 in
        fsync-eio) echo "fault: fsync → EIO (outbox, failed)" ;;
        fsync-dir-eio) echo "fault: fsync(dir) → EIO (outbox, failed)" ;;
        write-eio) echo "fault: write → EIO (outbox, failed)" ;;
        link-enospc) echo "fault: linkat → ENOSPC (outbox, failed)" ;;
        rename-enospc) echo "fault: renameat → ENOSPC (work → archive, failed)" ;;
        openat-eacces) echo "fault: openat → EACCES (outbox, failed)" ;;
        ledger-eio) echo "fault: pwrite64 → EIO (state/ ledger commits)" ;;
        *) echo "unknown scenario $1" >&2; exit 2 ;;
    esac
}

run_scenario() {
    local scenario=$1 out=$OUT_ROOT/$1
    local title
    title=$(describe "$scenario")
    prepare_spool "$out" "$N" staged
    local spool
    spool=$(realpath "$out/spool")
    local log=$out/daemon.log
    started=$(now)
    # Faults strike the drain, not the start-up (that is another story: see the README of this folder):
    # strace attaches once the daemon is ready, then the inputs are dropped.
    LOG_LEVEL=info start_daemon "$spool" "$log"
    local pid=$DAEMON_PID
    wait_ready "$log" "$pid" || return 1
    # The places strace watches (-P): the spool directories a result passes through, and this process's
    # temporary names (.newsd-<pid>-<sequence>.tmp; one sequence number per attempt).
    local paths=(-P "$spool/outbox" -P "$spool/failed" -P "$spool/archive")
    local i
    [ "$scenario" = fsync-dir-eio ] || for i in $(seq 1 $((N * 2 + 200))); do
        paths+=(-P "$spool/outbox/.newsd-$pid-$i.tmp" -P "$spool/failed/.newsd-$pid-$i.tmp")
    done
    local set extra=()
    case $scenario in
        fsync-eio) set=fsync; extra=(-P "$spool/work"); inject="fsync:error=EIO" ;;
        fsync-dir-eio) set=fsync; extra=(-P "$spool/work"); inject="fsync:error=EIO" ;;
        write-eio) set=write; inject="write:error=EIO" ;;
        link-enospc) set=linkat; inject="linkat:error=ENOSPC" ;;
        rename-enospc) set=renameat,renameat2; inject="renameat,renameat2:error=ENOSPC" ;;
        openat-eacces) set=openat; inject="openat:error=EACCES" ;;
        ledger-eio)
            set=pwrite64
            extra=(-P "$spool/state/ledger.sqlite-wal" -P "$spool/state/ledger.sqlite")
            inject="pwrite64:error=EIO" ;;
    esac
    strace -f -y -ttt -T -qq -o "$out/strace.log" -p "$pid" \
        -e trace=openat,write,fsync,fdatasync,rename,renameat,renameat2,linkat,unlinkat,pwrite64 \
        -e inject="$inject:when=$BURST" "${paths[@]}" "${extra[@]}" 2>"$out/strace-errors.log" &
    local tracer=$!
    # Attached (strace has opened its output and stopped every thread once) before the first input arrives.
    wait_traced "$pid" "$tracer" || echo "strace did not attach to $pid" >&2
    sleep 0.2
    drop_staged "$out"
    local drained=0
    wait_drained "$spool" "$pid" 900 && drained=1
    stop_daemon "$pid"
    local stop_status=$STOP_STATUS
    wait "$tracer" 2>/dev/null || true
    finished=$(now)

    local injected paused resumed
    injected=$(grep -c 'INJECTED' "$out/strace.log" || true)
    paused=$(grep -c 'storage fault: claiming paused' "$log" || true)
    resumed=$(grep -c 'storage recovered: claiming resumed' "$log" || true)
    local order_args=()
    [ "$scenario" = fsync-eio ] && order_args=(--fsync-redo)
    [ "$scenario" = fsync-dir-eio ] && order_args=(--directories-only)
    local order_status=0
    python3 scripts/reliability/check_syscall_order.py "$out/strace.log" "$spool" "$out/manifest.tsv" \
        "${order_args[@]}" >"$out/order.txt" || order_status=$?
    cat "$out/order.txt" | grep -v '^VIOLATION' || true
    grep '^VIOLATION' "$out/order.txt" | head -5 || true
    local order_note
    order_note=$(tail -1 "$out/order.txt" | sed 's/^syscall order: //; s/ (fsync temp.*dispose)//')
    local failures=()
    [ "$injected" -gt 0 ] || failures+=("nothing injected")
    [ "$paused" -gt 0 ] || failures+=("never paused")
    [ "$resumed" -gt 0 ] || failures+=("never resumed")
    [ $order_status = 0 ] || failures+=("order check failed")
    [ $drained = 1 ] || failures+=("did not drain")
    [ "$stop_status" = 0 ] || failures+=("SIGTERM exit $stop_status")
    local note="$injected injected, paused $paused× / resumed $resumed×, $order_note"
    if [ "$scenario" = fsync-eio ]; then
        local redone
        redone=$(grep -o 'fsync failures on temporaries: [0-9]*, each redone from the input: [a-zA-Z]*' "$out/order.txt" || true)
        note="$note; $redone"
    fi
    note="$note, $(elapsed "$started" "$finished") s"
    local fail_args=() reason
    for reason in "${failures[@]}"; do fail_args+=(--fail "$reason"); done
    local check_status=0
    python3 "$CHECKER" check "$spool" "$out/manifest.tsv" --ledger yes --scenario "$title" --note "$note" "${fail_args[@]}" \
        --json "$out/check.json" | tee "$out/check.txt" | grep -v '^SUMMARY' || check_status=$?
    [ $check_status = 0 ]
}

overall=0
for scenario in "${SCENARIOS[@]}"; do
    echo "=== $scenario"
    run_scenario "$scenario" || overall=1
done
exit $overall
