#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (with LeakSanitizer) and ThreadSanitizer (issue 5), each in its
# own scratch path (.build-asan, .build-tsan).
#
#   scripts/sanitizers.sh                                  # both
#   scripts/sanitizers.sh thread                           # one of: address, thread
#   scripts/sanitizers.sh address --filter AnalysisTests   # extra arguments go to `swift test`
#
# The end-to-end tests spawn the `newsd` built beside the test bundle (Tests/EndToEndTests/Support/EndToEnd.swift),
# i.e. the sanitized one, and it inherits the options below: every process writes its reports to
# <scratch>/sanitizer-logs/<asan|tsan>.<pid>, so a report from a daemon fails the run even when its test passed.
#  - ASan/LSan: any report file fails the run. Known leaks outside the project's own logic: sanitizers/lsan.supp.
#  - TSan: exitcode=0, so reports do not change exit statuses; scripts/sanitizers/tsan-triage.py then sorts them
#    into the known Mutex hand-off false positive and real reports, and any real report fails the run.
# Skipped by default (SANITIZER_SKIP, a `swift test --skip` regex; empty skips nothing):
# aLongStreamRunsInBoundedMemory asserts the daemon's peak RSS, which the sanitizers' shadow memory and ASan's
# quarantine multiply (measured 527 MB against its 100 MB bound under ASan), so it cannot hold there.
# NEWSD_E2E_SCALE (default 0.1 here) shrinks the heavy end-to-end tests: at full size the 20,000-file inotify
# test cannot finish in its 180 s under either sanitizer. 0.1 still overflows the lowered inotify queue (1,024).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export NEWSD_E2E_SCALE=${NEWSD_E2E_SCALE:-0.1}
# Waits bound by analysis time (the shutdown test's recovery of four 3 MB articles) stretched tenfold.
export NEWSD_E2E_SLOWDOWN=${NEWSD_E2E_SLOWDOWN:-10}
SANITIZER_SKIP=${SANITIZER_SKIP-aLongStreamRunsInBoundedMemory}
skip=()
[ -z "$SANITIZER_SKIP" ] || skip=(--skip "$SANITIZER_SKIP")

sanitizers=()
while [ $# -gt 0 ] && { [ "$1" = address ] || [ "$1" = thread ]; }; do sanitizers+=("$1"); shift; done
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)

failed=0
for sanitizer in "${sanitizers[@]}"; do
    case "$sanitizer" in
        address) short=asan ;;
        thread) short=tsan ;;
    esac
    scratch=".build-$short"
    logs="$PWD/$scratch/sanitizer-logs"
    rm -rf "$logs" && mkdir -p "$logs"
    export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1"
    export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0"
    export TSAN_OPTIONS="log_path=$logs/tsan:suppressions=$PWD/scripts/sanitizers/tsan.supp:exitcode=0:print_suppressions=0"
    echo "== $sanitizer: build ($scratch)"
    started=$(date +%s)
    nice swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    built=$(date +%s)
    echo "== $sanitizer: test (NEWSD_E2E_SCALE=$NEWSD_E2E_SCALE)"
    status=0
    nice swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" ${skip[@]+"${skip[@]}"} "$@" 2>&1 \
        | tee "$scratch/sanitizer-test.log" || status=$?
    finished=$(date +%s)
    passed=$(grep -cE '^✔ Test [^ ]+\(.*passed after' "$scratch/sanitizer-test.log" || true)
    failures=$(grep -cE '^✘ Test [^ ]+\(.*failed after' "$scratch/sanitizer-test.log" || true)
    echo "== $sanitizer: swift test exit $status: $passed passed, $failures failed;" \
        "build $((built - started)) s, test $((finished - built)) s"
    [ "$status" -eq 0 ] || failed=1
    if [ "$sanitizer" = thread ]; then
        python3 scripts/sanitizers/tsan-triage.py "$logs" || failed=1
    else
        reports=$(find "$logs" -type f | wc -l)
        echo "== address: $reports report file(s) in $logs"
        grep -h '^SUMMARY: ' "$logs"/* 2>/dev/null | sort | uniq -c || true
        [ "$reports" -eq 0 ] || failed=1
    fi
done
exit "$failed"
