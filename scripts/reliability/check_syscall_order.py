#!/usr/bin/env python3
"""Checks, from an strace log of a drain, that every article's result was durable before its input went.

    check_syscall_order.py STRACE_LOG SPOOL MANIFEST

The log must come from `strace -f -y -ttt -T -e trace=openat,write,fsync,fdatasync,rename,renameat,renameat2,
linkat,unlinkat` (-y: paths of descriptors; -ttt -T: start time and duration of each call). For every input in
the manifest, in the order the daemon did it:

  1. its document was written to a temporary dot-file in outbox/ (or failed/) and that file was fsync'ed;
  2. then the temporary was linked (or renamed) to the document's final name;
  3. then the directory holding it was fsync'ed (a call that started after the link returned);
  4. only then was the input disposed of: unlinked from work/ or renamed out of work/ (to archive/ or
     failed/).

Exits 1 and names the article when any step is missing or out of order.
"""
import json
import os
import re
import sys

LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")
RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")
DURATION = re.compile(r"<(\d+\.\d+)>\s*$")
RESULT = re.compile(r"\)\s+=\s+(-?\d+)")


def parse(path):
    """Yields (tid, name, text, start, end, result) for each completed call."""
    pending = {}
    calls = []
    for raw in open(path, errors="replace"):
        match = LINE.match(raw.rstrip("\n"))
        if not match:
            continue
        tid, stamp, rest = match.group(1), float(match.group(2)), match.group(3)
        if rest.startswith("+++") or rest.startswith("---"):
            continue
        if rest.endswith("<unfinished ...>"):
            name = rest.split("(", 1)[0]
            pending[tid] = (name, rest[: -len("<unfinished ...>")], stamp)
            continue
        resumed = RESUMED.match(rest)
        if resumed:
            if tid not in pending:
                continue
            name, head, start = pending.pop(tid)
            text = head + resumed.group(2)
            end = stamp
        else:
            name = rest.split("(", 1)[0]
            text = rest
            start = stamp
            duration = DURATION.search(rest)
            end = start + (float(duration.group(1)) if duration else 0.0)
        result = RESULT.search(text)
        calls.append((tid, name, text, start, end, int(result.group(1)) if result else None))
    calls.sort(key=lambda call: call[3])
    return calls


ARG_PATH = re.compile(r'(-?\d+|AT_FDCWD)<([^>]*)>')
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def fd_paths(text):
    return [m.group(2) for m in ARG_PATH.finditer(text.split(") =")[0])]


def strings(text):
    return [m.group(1) for m in STRING.finditer(text.split(") =")[0])]


def main():
    log, spool, manifest_path = sys.argv[1:4]
    spool = os.path.realpath(spool)
    outbox, failed, work = (os.path.join(spool, d) for d in ("outbox", "failed", "work"))
    inputs = [line.split("\t")[0] for line in open(manifest_path) if line.strip()]

    # Which document belongs to which input: the documents say so.
    document_of = {}
    for directory, suffix in ((outbox, ".json"), (failed, ".error.json")):
        for entry in os.listdir(directory):
            if entry.startswith(".") or not entry.endswith(suffix):
                continue
            with open(os.path.join(directory, entry), "rb") as f:
                document_of[json.load(f)["source"]["name"]] = (directory, entry)

    calls = parse(log)
    redo = "--fsync-redo" in sys.argv[4:]
    # --directories-only: the trace did not follow the temporaries (strace -P on the directories alone).
    temporaries = "--directories-only" not in sys.argv[4:]
    temp_fsync = {}      # temp path -> end time of its last successful fsync
    temp_written = set()  # temp paths that received a write
    linked = {}          # (directory, final name) -> (temp path, link start, link end)
    dir_fsyncs = {outbox: [], failed: []}  # (start, end) of successful fsyncs of the directory
    disposed = {}        # input name -> start time of the unlink/rename out of work/
    failed_temps = {}    # temp path -> (time its fsync failed, the article the thread was working on)
    reading = {}         # tid -> input name it last opened in work/
    reopened = {}        # input name -> times it was opened in work/
    for tid, name, text, start, end, result in calls:
        paths = fd_paths(text)
        names = strings(text)
        if name in ("fsync", "fdatasync") and result is not None and result < 0 and paths \
                and os.path.basename(paths[0]).startswith(".newsd-"):
            failed_temps[paths[0]] = (end, reading.get(tid))
        if result is None or result < 0:
            continue
        if name == "openat" and paths and paths[0] == work and names:
            reading[tid] = names[0]
            reopened.setdefault(names[0], []).append(start)
        if name == "write" and paths and os.path.basename(paths[0]).startswith(".newsd-"):
            temp_written.add(paths[0])
        elif name in ("fsync", "fdatasync") and paths:
            if paths[0] in dir_fsyncs:
                dir_fsyncs[paths[0]].append((start, end))
            elif os.path.basename(paths[0]).startswith(".newsd-"):
                temp_fsync[paths[0]] = end
        elif name in ("linkat", "renameat", "renameat2") and len(paths) >= 2 and len(names) >= 2:
            source_dir, target_dir = paths[0], paths[1]
            if source_dir == work:
                disposed.setdefault(names[0], start)
            elif names[0].startswith(".newsd-") and target_dir in dir_fsyncs:
                linked[(target_dir, names[1])] = (os.path.join(source_dir, names[0]), start, end)
        elif name == "rename" and len(names) >= 2:
            if os.path.dirname(names[0]) == work:
                disposed.setdefault(os.path.basename(names[0]), start)
        elif name == "unlinkat" and paths and names and paths[0] == work:
            disposed.setdefault(names[0], start)

    violations = []
    checked = 0
    for input_name in inputs:
        if input_name not in document_of:
            violations.append(f"{input_name}: no document in outbox/ or failed/")
            continue
        directory, document = document_of[input_name]
        link = linked.get((directory, document))
        if link is None:
            violations.append(f"{input_name}: no link/rename of a temporary to {directory}/{document} in the trace")
            continue
        temp, link_start, link_end = link
        before = len(violations)
        if temporaries and temp not in temp_written:
            violations.append(f"{input_name}: its temporary {temp} was never written")
        synced = temp_fsync.get(temp) if temporaries else link_start
        if synced is None:
            violations.append(f"{input_name}: its temporary {temp} was never fsync'ed")
        elif synced > link_start:
            violations.append(f"{input_name}: {document} was linked before the fsync of {temp} returned")
        gone = disposed.get(input_name)
        if gone is None:
            violations.append(f"{input_name}: the input was never removed from work/")
            continue
        if gone < link_end:
            violations.append(f"{input_name}: the input left work/ before its document was linked")
            continue
        if not any(s >= link_end and e <= gone for s, e in dir_fsyncs[directory]):
            violations.append(
                f"{input_name}: no fsync of {directory} between the link of {document} and the input's disposal")
            continue
        if len(violations) == before:
            checked += 1
    if redo:
        linked_temps = {temp for temp, _, _ in linked.values()}
        before_redo = len(violations)
        for temp, (when, article) in failed_temps.items():
            if temp in linked_temps:
                violations.append(f"{temp}: its fsync failed, yet it was linked (the page cache was trusted)")
            if article is None:
                violations.append(f"{temp}: its fsync failed; no input read on that thread before it")
            elif not any(t > when for t in reopened.get(article, [])):
                violations.append(f"{article}: fsync of {temp} failed and the input was not read again from work/")
        print(f"fsync failures on temporaries: {len(failed_temps)}, each redone from the input: "
              f"{'yes' if len(violations) == before_redo else 'NO'}")
    for text in violations[:40]:
        print("VIOLATION " + text)
    print(f"syscall order: {checked}/{len(inputs)} articles in order "
          f"(fsync temp → link → fsync dir → dispose), {len(violations)} violations")
    return 0 if not violations and checked == len(inputs) else 1


if __name__ == "__main__":
    sys.exit(main())
