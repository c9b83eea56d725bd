#!/usr/bin/env python3
"""Load (issue 5, item 7): a backlog of N files in the inbox before start, drained by the release daemon.

Driven by scripts/reliability/load.sh. Samples the daemon's VmRSS (/proc/PID/status) and open descriptors
(/proc/PID/fd) every second into var/reliability/load-<N>.csv, counts descriptors at ready, during and after
the drain (idle, 3 s after the last result), and checks the result: every input exactly one outbox document
(unique stems, so a second document would show as `<stem>-<tag>.json`), no temporary file, work/ and inbox/
empty, every original archived; a sample of documents parsed and checked.

Prints ROW|load-<N>|<inputs>|<lost>|<duplicated>|<partial>|<outcome> and exits 1 on a violation or an fd leak.
"""
import glob
import json
import os
import random
import signal
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
N = int(os.environ.get("N", "100000"))
BIN = os.environ.get("NEWSD_BINARY", os.path.join(ROOT, ".build/release/newsd"))
DIR = os.environ.get("LOAD_DIR", os.path.join(ROOT, "var", "reliability", f"load-{N}"))
CSV = os.path.join(ROOT, "var", "reliability", f"load-{N}.csv")
CORPUS = os.environ.get("CORPUS", os.path.join(ROOT, "..", "shared", "corpus", "wikinews-2019-2020"))
TIMEOUT = int(os.environ.get("LOAD_TIMEOUT", "7200"))


def sample(pid):
    rss = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None, None
    return rss, fds


def count_results(outbox, failed):
    documents = sum(1 for e in os.scandir(outbox) if not e.name.startswith("."))
    errors = sum(1 for e in os.scandir(failed) if e.name.endswith(".error.json"))
    return documents, errors


def main():
    if not os.path.exists(BIN):
        print(f"no {BIN}: swift build -c release --static-swift-stdlib", file=sys.stderr)
        return 2
    subprocess.run(["rm", "-rf", "--", DIR], check=True)
    spool = os.path.join(DIR, "spool")
    inbox, outbox, failed, work, archive = (os.path.join(spool, d) for d in ("inbox", "outbox", "failed", "work", "archive"))
    stage = os.path.join(DIR, "stage")
    for folder in (inbox, outbox, failed, work, archive, stage):
        os.makedirs(folder)
    os.makedirs(os.path.dirname(CSV), exist_ok=True)

    # Varied copies: each corpus article with its paragraphs rotated and a distinct closing line, so every
    # input has its own id and the near-duplicate lookup of the ledger is exercised.
    articles = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(CORPUS, "*.txt")))]
    rng = random.Random(7)
    made = time.time()
    total_bytes = 0
    for i in range(N):
        text = articles[i % len(articles)]
        title, _, body = text.partition(b"\n\n")
        paragraphs = body.split(b"\n\n")
        shift = (i // len(articles)) % max(1, len(paragraphs))
        if rng.random() < 0.5:
            paragraphs = paragraphs[shift:] + paragraphs[:shift]
        data = title + b"\n\n" + b"\n\n".join(paragraphs) + f"\n\nCopy {i} of the backlog.\n".encode()
        total_bytes += len(data)
        with open(os.path.join(stage, f"article-{i:06d}.txt"), "wb") as f:
            f.write(data)
    for i in range(N):
        name = f"article-{i:06d}.txt"
        os.rename(os.path.join(stage, name), os.path.join(inbox, name))
    print(f"backlog: {N} files, {total_bytes / 1e6:.1f} MB, made in {time.time() - made:.0f} s", file=sys.stderr)

    env = dict(os.environ, NEWSD_SETTLE_TIME="0")
    for key in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"):
        env.pop(key, None)
    log_path = os.path.join(DIR, "daemon.log")
    log = open(log_path, "wb")
    started = time.time()
    daemon = subprocess.Popen([BIN, "run", "--spool-root", spool, "--log-target", "stderr", "--log-level", "warning"],
                              cwd=DIR, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    pid = daemon.pid
    rows = []
    fds_at_start = None
    done_at = None
    try:
        while True:
            now = time.time() - started
            rss, fds = sample(pid)
            documents, errors = count_results(outbox, failed)
            if fds_at_start is None and fds is not None and now > 1.0:
                fds_at_start = fds  # after start-up: ledger, inotify, spool folders open
            rows.append((round(now, 1), rss, fds, documents + errors))
            if documents + errors >= N and not os.listdir(work):
                done_at = now
                break
            if daemon.poll() is not None:
                print(f"daemon exited early ({daemon.returncode}); see {log_path}", file=sys.stderr)
                break
            if now > TIMEOUT:
                print(f"not drained within {TIMEOUT} s", file=sys.stderr)
                break
            time.sleep(max(0.0, 1.0 - (time.time() - started - now)))
        # Idle for a few seconds: descriptors and memory after the drain.
        for _ in range(5):
            time.sleep(1)
            rss, fds = sample(pid)
            rows.append((round(time.time() - started, 1), rss, fds, sum(count_results(outbox, failed))))
        fds_after = rows[-1][2]
        daemon.send_signal(signal.SIGTERM)
        status = daemon.wait(timeout=120)
    finally:
        if daemon.poll() is None:
            daemon.kill()
        log.close()

    with open(CSV, "w") as f:
        f.write("seconds,rss_kib,open_fds,results\n")
        for row in rows:
            f.write(",".join("" if v is None else str(v) for v in row) + "\n")

    # The result, checked.
    expected = {f"article-{i:06d}.json" for i in range(N)}
    names = os.listdir(outbox)
    hidden = [n for n in names if n.startswith(".")]
    visible = set(names) - set(hidden)
    lost = len(expected - visible) - sum(1 for n in os.listdir(failed) if n.endswith(".error.json"))
    extra = visible - expected  # a second document for a stem would be <stem>-<tag>.json
    malformed = 0
    for name in random.Random(1).sample(sorted(visible), min(2000, len(visible))):
        try:
            doc = json.load(open(os.path.join(outbox, name), "rb"))
            assert doc["schema"] == "newsd/article@1" and doc["source"]["name"] == name[:-5] + ".txt"
        except Exception:  # noqa: BLE001 - any unreadable document counts
            malformed += 1
    partial = len(hidden) + malformed + len(os.listdir(work))
    left_in_inbox = len(os.listdir(inbox))
    archived = len(os.listdir(archive))
    errors = [n for n in os.listdir(failed) if n.endswith(".error.json")]

    rss_values = [r[1] for r in rows if r[1] is not None and r[0] >= 1.0]  # from 1 s: not the bare exec
    drain = [r for r in rows if done_at is not None and r[0] <= done_at and r[1] is not None]
    tenth = next((r for r in drain if r[3] >= N // 10), None)
    after_tenth = [r[1] for r in drain if tenth and r[0] >= tenth[0]]
    last = drain[-1] if drain else None
    seconds = done_at or (time.time() - started)
    rate = N / seconds if done_at else 0
    fds_during = max((r[2] for r in rows if r[2] is not None), default=None)
    mib = lambda k: f"{k / 1024:.0f}" if k is not None else "?"  # noqa: E731
    load = open("/proc/loadavg").read().split()[0]
    outcome = (f"{rate:.0f} files/s ({N} in {seconds:.0f} s incl. start-up) "
               f"RSS min/max {mib(min(rss_values) if rss_values else None)}/{mib(max(rss_values) if rss_values else None)} MiB "
               f"(at 10% {mib(tenth[1] if tenth else None)}, max after 10% {mib(max(after_tenth) if after_tenth else None)}, "
               f"at end {mib(last[1] if last else None)}) "
               f"fds start/max/after {fds_at_start}/{fds_during}/{fds_after} "
               f"loadavg-at-end={load} failed={len(errors)} archived={archived} inbox-left={left_in_inbox} exit={status} csv={os.path.relpath(CSV, ROOT)}")
    ok = (done_at is not None and lost <= 0 and not extra and partial == 0 and status == 0 and left_in_inbox == 0
          and archived + len(errors) == N and fds_after is not None and fds_at_start is not None and fds_after <= fds_at_start)
    if not ok:
        outcome += f" VIOLATION (lost={lost} extra={len(extra)} partial={partial} fd-leak={fds_after}>{fds_at_start})"
    print(f"ROW|load-{N}|{N}|{max(lost, 0)}|{len(extra)}|{partial}|{outcome}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
