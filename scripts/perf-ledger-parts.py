#!/usr/bin/env python3
"""Groups the samples of a drain's perf profile by the part of newsd they fall in (the first rule that some
frame of the stack matches), in µs of CPU a file.

    LEDGER=1 N=20000 FEED=fresh PERF_DATA=/tmp/drain.data PERF_CALL_GRAPH=dwarf scripts/bench-spool.sh
    perf script -i /tmp/drain.data --no-inline > /tmp/drain.txt
    scripts/perf-ledger-parts.py /tmp/drain.txt CPU_SECONDS FILES

CPU_SECONDS is the daemon's CPU time that bench-spool.sh printed ("daemon CPU: 9.91 s"), FILES the drain's N.
The rules name Swift symbols as they are mangled; a renamed function falls into "other".
"""
import collections
import re
import sys

RULES = [
    ("dispose (the ledger's completion)", r"Ledger0qO0VGYbcfU_"),
    ("fingerprint", r"FingerprintV4text"),
    ("lookup", r"LedgerAAC7reserve"),
    ("row columns (entities, quotes)", r"Ledger0A5EntryV2id"),
    ("key flushes", r"LedgerAAC9flushKeys"),
    ("merges", r"[Mm]erge"),
    ("rows (inserts, commits)", r"writeWaitingRows"),
    ("ledger, other", r"s6Ledger|GRDB|sqlite3"),
    ("analysis", r"AnalyzerV7analyze"),
    ("document encoding", r"DocumentEncoder"),
]


def main() -> None:
    path, cpu, files = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    frames: list[str] = []

    def end_sample() -> None:
        nonlocal total
        if not frames:
            return
        total += 1
        stack = "\n".join(frames)
        counts[next((name for name, rule in RULES if re.search(rule, stack)), "other")] += 1
        frames.clear()

    with open(path, encoding="utf-8", errors="replace") as script:
        for line in script:
            if not line.strip():
                end_sample()
            elif line.startswith((" ", "\t")):
                frames.append(line.strip())
    end_sample()
    if total == 0:
        sys.exit("no samples with call stacks in " + path)
    for name, count in counts.most_common():
        print(f"{name:36s} {100 * count / total:5.1f} %  {cpu * count / total / files * 1e6:6.1f} µs a file")
    print(f"({total} samples)")


if __name__ == "__main__":
    main()
