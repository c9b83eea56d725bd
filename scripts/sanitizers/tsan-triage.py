#!/usr/bin/env python3
"""Sorts the ThreadSanitizer reports in a log directory (TSAN_OPTIONS log_path=DIR/tsan) into known false
positives and real reports; exits 1 when any report is real.

Known false positive, "mutex-handoff": both conflicting accesses run inside a Synchronization.Mutex.withLock
closure. On Linux, Mutex hands a contended lock over in the kernel (FUTEX_LOCK_PI / FUTEX_UNLOCK_PI, called from
the uninstrumented libswiftSynchronization.so), so TSan sees no release/acquire between the unlocking and the next
locking thread and reports the protected accesses as a race. scripts/sanitizers/mutex-handoff.swift reproduces
it with nothing but a Mutex<[Int]> and two threads. A withLock closure has the type
(inout sending T) throws(E) -> sending U, mangled ...zYu...YTXE..., which is what this looks for in both stacks.
A race with only one side under a lock is NOT classified as the hand-off: it is reported as real. (Both sides
under two different Mutexes would be misclassified; the reports this was written for are each one Mutex, checked
by hand: see the report in the commit.)

    scripts/sanitizers/tsan-triage.py .build-tsan/sanitizer-logs
"""
import glob
import os
import re
import sys

ACCESS = re.compile(r"^  (?:Previous )?(?:Modifying access|Read access|Read|Write|Atomic read|Atomic write)\b", re.I)
FRAME = re.compile(r"^\s+#\d+ (\S+)")
WITH_LOCK_CLOSURE = re.compile(r"zYu\w*YTXE[fF]U\d*_")


def reports(text):
    for block in text.split("==================\n"):
        if "WARNING: ThreadSanitizer" in block:
            yield block


def access_stacks(block):
    stacks, current = [], None
    for line in block.splitlines():
        if ACCESS.match(line):
            current = []
            stacks.append(current)
        elif current is not None and FRAME.match(line):
            current.append(FRAME.match(line).group(1))
        elif current is not None and not line.strip():
            current = None
    return stacks


def classify(block):
    if "data race" not in block and "Swift access race" not in block:
        return None
    stacks = access_stacks(block)
    if len(stacks) >= 2 and all(any(WITH_LOCK_CLOSURE.search(f) for f in s) for s in stacks):
        return "mutex-handoff"
    return None


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else ".build-tsan/sanitizer-logs"
    known, real = {}, []
    for path in sorted(glob.glob(os.path.join(directory, "tsan*"))):
        for block in reports(open(path, errors="replace").read()):
            kind = classify(block)
            summary = next((l for l in block.splitlines() if l.startswith("SUMMARY:")), "(no summary)")
            if kind:
                known.setdefault(summary, 0)
                known[summary] += 1
            else:
                real.append((path, block))
    for summary, count in sorted(known.items()):
        print(f"known false positive (mutex-handoff) x{count}: {summary}")
    for path, block in real:
        print(f"REAL REPORT in {path}:\n{block}")
    print(f"tsan triage: {sum(known.values())} mutex-handoff false positive(s), {len(real)} real report(s)")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
