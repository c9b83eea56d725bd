#!/usr/bin/env bash
# Chaos (issue 5, item 1): drains N files (default 5,000) while `kill -9` strikes the daemon KILLS times
# (default 20), restarting it after each strike as systemd would; then checks the spool invariants
# (check_spool.py: one result per input, whole documents, no temporaries, nothing left, ledger agrees).
#
# Strikes alternate between a random moment (a random delay, scaled to the remaining work) and an exact
# moment chosen by strace, which attaches to the running daemon and delivers SIGKILL on entering the K-th
# (random K) call of one syscall aimed at one place:
#   fsync-temp       fsync of a temporary document in outbox/ (written, not yet durable)
#   link-outbox      linkat of a temporary to its final name in outbox/
#   unlink-temp      unlinkat of the temporary name after the link
#   fsync-outbox     fsync of the outbox/ directory
#   ledger-commit    pwrite64/fdatasync/fsync of the ledger's WAL (state/ledger.sqlite-wal): a commit
#   dispose          renameat out of work/ into archive/ (the input's disposal)
#   claim            renameat inbox/ → work/ (a claim)
#   failed           linkat of an error document in failed/
# When the aimed call does not come within a few seconds the strike falls back to a plain kill -9.
#
#   scripts/reliability/chaos.sh                      5,000 files, 20 strikes, release binary if built
#   N=500 KILLS=5 BUILD=debug scripts/reliability/chaos.sh     short mode (CI)
#   AIMED=0 ...                                        random moments only
# Output (logs, spool, strike list) in OUT (default var/reliability/chaos); the last line is the ROW.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/reliability/lib.sh
pick_binary
N=${N:-5000}
KILLS=${KILLS:-20}
AIMED=${AIMED:-1}
SEED=${SEED:-$$}
OUT=${OUT:-var/reliability/chaos}
SCENARIO=${SCENARIO:-"chaos: kill -9 ×$KILLS during drain"}
RANDOM=$SEED
if [ "$AIMED" = 1 ] && ! command -v strace >/dev/null; then
    echo "strace not found: aimed strikes off (apt-get install strace)" >&2
    AIMED=0
fi

# The inputs arrive in KILLS+1 batches, one dropped just after each (re)start and the last before the final
# run: every strike finds work in flight, whatever the binary's speed, and files also arrive during start-up
# and recovery (inotify and the first scan race).
prepare_spool "$OUT" "$N" staged
SPOOL=$(realpath "$OUT/spool")
find "$OUT/stage" -maxdepth 1 -type f -printf '%f\n' | sort >"$OUT/stage.list"
BATCH=$(( (N + KILLS) / (KILLS + 1) ))
drop_batch() {
    local number=$1
    sed -n "$((number * BATCH + 1)),$(((number + 1) * BATCH))p" "$OUT/stage.list" | rename_into "$OUT/stage" "$SPOOL/inbox"
}
LOG=$OUT/daemon.log
STRIKES=$OUT/strikes.tsv
printf 'strike\tmode\tK\thow\tremaining_before\tremaining_after\talive_s\n' >"$STRIKES"
TARGETS=(fsync-temp link-outbox ledger-commit dispose fsync-outbox unlink-temp claim failed)

# random_between LOW HIGH (milliseconds) → seconds as a decimal
random_seconds() {
    local low=$1 high=$2
    local ms=$(( low + (RANDOM * 32768 + RANDOM) % (high - low + 1) ))
    printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# aim TARGET PID K: sets AIM_ARGS (strace arguments) for the target.
aim() {
    local target=$1 pid=$2 k=$3 remaining=$4
    AIM_ARGS=()
    local set paths=()
    case $target in
        fsync-temp)
            set=fsync
            # Only the temporaries of this process: .newsd-<pid>-<sequence>.tmp.
            for i in $(seq 1 $((remaining + 64))); do paths+=(-P "$SPOOL/outbox/.newsd-$pid-$i.tmp"); done ;;
        link-outbox) set=linkat; paths=(-P "$SPOOL/outbox") ;;
        unlink-temp) set=unlinkat; paths=(-P "$SPOOL/outbox") ;;
        fsync-outbox) set=fsync; paths=(-P "$SPOOL/outbox") ;;
        ledger-commit) set=pwrite64,fdatasync,fsync; paths=(-P "$SPOOL/state/ledger.sqlite-wal") ;;
        dispose) set=renameat,renameat2; paths=(-P "$SPOOL/archive") ;;
        claim) set=renameat,renameat2; paths=(-P "$SPOOL/inbox") ;;
        failed) set=linkat; paths=(-P "$SPOOL/failed") ;;
    esac
    AIM_ARGS=(-f -qq -o "$OUT/strace-$target.log" -p "$pid" -e trace="$set" -e inject="$set":signal=SIGKILL:when="$k" "${paths[@]}")
}

DAEMON_PID=""
trap '[ -z "$DAEMON_PID" ] || kill -9 "$DAEMON_PID" 2>/dev/null || true' EXIT
started=$(now)
rate=600  # files/s guess (a release binary on 2 cores); measured after each strike, never lowered
struck_with_work=0
aimed_fired=0
for strike in $(seq 1 "$KILLS"); do
    done_before=$(results "$SPOOL")
    start_daemon "$SPOOL" "$LOG"
    before=$(( $(remaining "$SPOOL") + BATCH ))
    alive_from=$(now)
    echo "--- strike $strike: daemon pid $DAEMON_PID, $before left" >>"$LOG"
    # A random delay that spreads the strikes over the remaining work (at least 50 ms: some strike during
    # start-up and recovery).
    left=$((KILLS - strike + 1))
    budget_ms=$(python3 -c "import sys; r,rate,l=map(float,sys.argv[1:]); print(max(150, min(6000, int(700*r/rate))))" "$before" "$rate" "$left")
    delay=$(random_seconds 50 "$budget_ms")
    mode=random
    k=-
    how=kill
    if [ "$AIMED" = 1 ] && [ $((strike % 2)) = 0 ]; then
        # Attached before the batch arrives, so the K-th aimed call comes while there is work.
        mode=${TARGETS[$(( (strike / 2 - 1) % ${#TARGETS[@]} ))]}
        case $mode in
            failed) k=$((1 + RANDOM % 2)) ;;
            claim) k=$((1 + RANDOM % 8)) ;;
            # Per thread (strace counts per tracee): at most a quarter of the work there is, so the call comes.
            *) cap=$(( before / 4 < 40 ? before / 4 : 40 )); k=$((1 + RANDOM % (cap > 0 ? cap : 1))) ;;
        esac
        aim "$mode" "$DAEMON_PID" "$k" "$before"
        strace "${AIM_ARGS[@]}" 2>>"$OUT/strace-errors.log" &
        tracer=$!
        wait_traced "$DAEMON_PID" "$tracer" || echo "strike $strike: strace did not attach" >&2
        drop_batch $((strike - 1))
        how=fallback
        for _ in $(seq 1 100); do
            if ! kill -0 "$DAEMON_PID" 2>/dev/null; then how=strace; break; fi
            sleep 0.05
        done
        if [ "$how" = fallback ]; then kill -9 "$DAEMON_PID" 2>/dev/null || true; fi
        wait "$tracer" 2>/dev/null || true
    else
        drop_batch $((strike - 1))
        sleep "$delay"
        kill -9 "$DAEMON_PID" 2>/dev/null || how=already-exited
    fi
    status=0
    wait "$DAEMON_PID" 2>/dev/null || status=$?
    if [ "$status" != 137 ]; then
        echo "strike $strike: the daemon exited with $status, not by SIGKILL (see $LOG)" >&2
        how="$how(exit $status)"
    fi
    [ "$how" = strace ] && aimed_fired=$((aimed_fired + 1))
    alive=$(elapsed "$alive_from" "$(now)")
    after=$(remaining "$SPOOL")
    [ "$after" -gt 0 ] && struck_with_work=$((struck_with_work + 1))
    done_after=$(results "$SPOOL")
    rate=$(python3 -c "import sys; d,a=float(sys.argv[1]),float(sys.argv[2]); print(max(float(sys.argv[3]), d/a) if d > 0 and a > 0.3 else sys.argv[3])" \
        "$((done_after - done_before))" "$alive" "$rate")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$strike" "$mode" "$k" "$how" "$before" "$after" "$alive" >>"$STRIKES"
    echo "strike $strike/$KILLS: $mode K=$k ($how) after ${alive}s, $after left"
done

# The last restart drains what is left; SIGTERM must then stop it cleanly (once it is ready: a SIGTERM
# before the daemon has its handlers kills it outright, which systemd also counts as a clean stop).
LOG_LEVEL=info start_daemon "$SPOOL" "$LOG"
drop_batch "$KILLS"
rmdir "$OUT/stage" 2>/dev/null || echo "inputs left in $OUT/stage" >&2
wait_ready "$LOG" "$DAEMON_PID" || true
wait_drained "$SPOOL" "$DAEMON_PID" 1800 || true
stop_daemon "$DAEMON_PID"
stop_status=$STOP_STATUS
finished=$(now)
seconds=$(elapsed "$started" "$finished")
crash_notices=$(grep -c 'removed temporary files left by a crash' "$LOG" || true)
recovered=$(grep -c 'recovering files claimed before a stop' "$LOG" || true)
echo "drained in ${seconds}s; $KILLS strikes ($aimed_fired aimed by strace, $struck_with_work with work still pending);" \
    "$recovered restarts recovered work/, $crash_notices removed temporaries; final stop exit $stop_status"

note="$KILLS× kill -9 ($aimed_fired at an aimed syscall), ${seconds} s"
fail_args=()
[ "$stop_status" = 0 ] || fail_args+=(--fail "final SIGTERM stop exited $stop_status")
[ "$struck_with_work" = "$KILLS" ] || note="$note; only $struck_with_work strikes left work pending"
check_status=0
python3 "$CHECKER" check "$SPOOL" "$OUT/manifest.tsv" --ledger yes --scenario "$SCENARIO" --note "$note" \
    "${fail_args[@]}" --json "$OUT/check.json" | tee "$OUT/check.txt" || check_status=$?
exit $check_status
