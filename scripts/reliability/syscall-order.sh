#!/usr/bin/env bash
# Syscall-order check (issue 5, item 2): drains N files (default 200) under
#   strace -f -y -ttt -T -e trace=openat,write,fsync,fdatasync,rename,renameat,renameat2,linkat,unlinkat
# and shows, for EVERY article, fsync(temp) → link into outbox/ (or failed/) → fsync(directory) → removal of
# the input from work/. Fails when any article breaks the order; then checks the spool invariants.
#
#   N=50 BUILD=debug scripts/reliability/syscall-order.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/reliability/lib.sh
pick_binary
N=${N:-200}
OUT=${OUT:-var/reliability/syscall-order}
SCENARIO=${SCENARIO:-"syscall order (clean drain under strace)"}
command -v strace >/dev/null || { echo "strace is needed (apt-get install strace)" >&2; exit 2; }

prepare_spool "$OUT" "$N"
SPOOL=$(realpath "$OUT/spool")
started=$(now)
NEWSD_LEDGER=true NEWSD_SETTLE_TIME=0 NEWSD_RESCAN_INTERVAL=1 NEWSD_WORKERS=${WORKERS:-0} \
    strace -f -y -ttt -T -o "$OUT/strace.log" \
    -e trace=openat,write,fsync,fdatasync,rename,renameat,renameat2,linkat,unlinkat \
    "$BIN" run --spool-root "$SPOOL" --log-target stderr --log-level notice >"$OUT/daemon.log" 2>&1 &
tracer=$!
trap 'kill -9 $tracer 2>/dev/null || true' EXIT
daemon=""
for _ in $(seq 100); do
    daemon=$(pgrep -P $tracer || true)
    [ -n "$daemon" ] && break
    sleep 0.1
done
[ -n "$daemon" ] || { echo "the daemon did not start under strace" >&2; exit 1; }
wait_drained "$SPOOL" "$daemon" 600
kill -TERM "$daemon"
status=0
wait $tracer || status=$?
trap - EXIT
finished=$(now)

order_status=0
python3 scripts/reliability/check_syscall_order.py "$OUT/strace.log" "$SPOOL" "$OUT/manifest.tsv" \
    | tee "$OUT/order.txt" || order_status=$?
summary=$(tail -1 "$OUT/order.txt")
note="$(echo "$summary" | sed 's/^syscall order: //'); daemon exit $status; $(elapsed "$started" "$finished") s"
fail_args=()
[ $order_status = 0 ] || fail_args+=(--fail "syscall order violated")
[ "$status" = 0 ] || fail_args+=(--fail "daemon exit $status after SIGTERM")
check_status=0
python3 "$CHECKER" check "$SPOOL" "$OUT/manifest.tsv" --scenario "$SCENARIO" --note "$note" --json "$OUT/check.json" \
    "${fail_args[@]}" | tee "$OUT/check.txt" || check_status=$?
exit $check_status
