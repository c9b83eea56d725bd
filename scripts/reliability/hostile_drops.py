#!/usr/bin/env python3
"""Hostile drops against the real daemon (issue 5, item 5). Driven by scripts/reliability/hostile.sh.

Each scenario gets a fresh spool under var/reliability/hostile/<scenario>/, starts `newsd run` on it, drops
hostile inputs, waits until the inbox holds only ignored names and work/ is empty, stops the daemon with SIGTERM
(it must exit 0), and then checks the spool:

  - every input has exactly one result: an outbox document (newsd/article@1) or a failed/ original beside its
    newsd/error@1 document with the expected error code; or it is ignored (still in the inbox, by design) or
    it vanished (we removed it from work/ ourselves and the daemon logged "claimed file vanished");
  - no temporary or dot-file and no unparsable document is visible in outbox/ or failed/, work/ is empty;
  - the secret file outside the spool never appears in any file newsd wrote or logged.

Per scenario it prints ROW|<scenario>|<inputs>|<lost>|<duplicated>|<partial>|<outcome> and exits 1 when any
scenario has a violation (lost, duplicated or partial > 0, a wrong error code, a leaked secret, a daemon that
did not exit 0).
"""
import collections
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BASE = os.environ.get("HOSTILE_DIR", os.path.join(ROOT, "var", "reliability", "hostile"))
BIN = os.environ.get("NEWSD_BINARY") or next(
    (p for p in (os.path.join(ROOT, ".build/release/newsd"), os.path.join(ROOT, ".build/debug/newsd")) if os.path.exists(p)), None)
SECRET = b"TOP-SECRET-" + os.urandom(8).hex().encode() + b"-DO-NOT-LEAK"
RACE_ROUNDS = int(os.environ.get("HOSTILE_RACE_ROUNDS", "1000"))
EMPTY_FILES = int(os.environ.get("HOSTILE_EMPTY_FILES", "10000"))
BIG_LINE_MB = int(os.environ.get("HOSTILE_BIG_LINE_MB", "200"))
VANISH_FILES = int(os.environ.get("HOSTILE_VANISH_FILES", "2000"))


def article(n):
    return (f"Council report {n}\n\nThe city council of Springfield met on Monday to discuss item {n}. "
            f"Mayor Jane Doe said the budget was approved. \"We will build the bridge,\" she told reporters.\n\n"
            f"The next meeting is on Friday.\n").encode()


def escaped(name: bytes) -> str:
    """The daemon's `source.name` for a raw name: valid UTF-8 kept, every other byte and backslash as \\xNN."""
    out, i = [], 0
    while i < len(name):
        if name[i] != 0x5C:
            for length in (1, 2, 3, 4):
                chunk = name[i:i + length]
                try:
                    text = chunk.decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if len(text) == 1:
                    out.append(text)
                    i += length
                    break
            else:
                out.append("\\x%02x" % name[i])
                i += 1
            continue
        out.append("\\x5c")
        i += 1
    return "".join(out)


def ignored(name: bytes) -> bool:
    return not name or name.startswith(b".") or name.endswith(b"~") or name.endswith(b".tmp") or name.endswith(b".part")


class Spool:
    def __init__(self, scenario, env=None):
        self.scenario = scenario
        self.root = os.path.join(BASE, scenario)
        if os.path.lexists(self.root):
            subprocess.run(["rm", "-rf", "--", self.root], check=True)
        os.makedirs(self.root)
        self.dirs = {d: os.path.join(self.root, "spool", d) for d in ("inbox", "work", "outbox", "failed", "archive")}
        for d in self.dirs.values():
            os.makedirs(d)
        self.outside = os.path.join(self.root, "outside")
        os.makedirs(self.outside)
        self.secret = os.path.join(self.outside, "secret.txt")
        with open(self.secret, "wb") as f:
            f.write(b"Secret memo\n\nThe password is " + SECRET + b". Nobody must read it.\n")
        self.log = os.path.join(self.root, "daemon.log")
        self.env = dict(os.environ, NEWSD_SETTLE_TIME="0", NEWSD_RESCAN_INTERVAL="1", **(env or {}))
        for key in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"):
            self.env.pop(key, None)
        self.process = None

    def inbox(self, name: bytes) -> bytes:
        return os.fsencode(self.dirs["inbox"]) + b"/" + name

    def start(self):
        self.logfile = open(self.log, "wb")
        self.process = subprocess.Popen(
            [BIN, "run", "--spool-root", os.path.join(self.root, "spool"), "--log-target", "stderr"],
            cwd=self.root, env=self.env, stdout=self.logfile, stderr=self.logfile, stdin=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            if b"ready: recovery and first scan done" in open(self.log, "rb").read():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{self.scenario}: daemon not ready; see {self.log}")

    def pending(self):
        inbox = [n for n in os.listdir(os.fsencode(self.dirs["inbox"])) if not ignored(n)]
        return len(inbox) + len(os.listdir(self.dirs["work"]))

    def wait_quiet(self, timeout):
        deadline, quiet = time.time() + timeout, 0
        while time.time() < deadline:
            quiet = quiet + 1 if self.pending() == 0 else 0
            if quiet >= 3:
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.3)
        return False

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = "hung"
        self.logfile.close()
        return status

    def peak_rss_mib(self):
        return None

    # What the spool holds after the run.
    def results(self):
        """(outbox documents by source.name, failed codes by source.name, partial/stray descriptions)."""
        outbox, failed, partial = collections.defaultdict(list), collections.defaultdict(list), []
        odir = os.fsencode(self.dirs["outbox"])
        for name in os.listdir(odir):
            if name.startswith(b".") or name.endswith(b".tmp"):
                partial.append("outbox temp " + escaped(name))
                continue
            try:
                doc = json.loads(open(odir + b"/" + name, "rb").read())
                assert doc["schema"] == "newsd/article@1"
                outbox[doc["source"]["name"]].append(doc)
            except Exception as error:  # noqa: BLE001 - any unreadable document is a violation
                partial.append(f"outbox malformed {escaped(name)}: {error}")
        fdir = os.fsencode(self.dirs["failed"])
        names = set(os.listdir(fdir))
        originals = {n for n in names if not n.endswith(b".error.json")}
        for name in names - originals:
            if name.startswith(b"."):
                partial.append("failed temp " + escaped(name))
                continue
            original = name[: -len(b".error.json")]
            if original not in originals:
                # Still a result: parsed below; the scenario decides whether a missing original is allowed.
                partial.append("error document without original " + escaped(original))
            originals.discard(original)
            try:
                doc = json.loads(open(fdir + b"/" + name, "rb").read())
                assert doc["schema"] == "newsd/error@1"
                failed[doc["source"]["name"]].append(doc["error"]["code"])
            except Exception as error:  # noqa: BLE001
                partial.append(f"failed malformed {escaped(name)}: {error}")
        partial += ["original without error document " + escaped(n) for n in originals if not n.startswith(b".")]
        partial += ["left in work/ " + escaped(n) for n in os.listdir(os.fsencode(self.dirs["work"]))]
        return outbox, failed, partial

    def secret_leaks(self):
        """Regular files under the spool (symlinks not followed) and the daemon log that contain the secret."""
        leaks = []
        secret = os.stat(self.secret)
        for top, _, files in os.walk(os.fsencode(os.path.join(self.root, "spool"))):
            for name in files:
                path = top + b"/" + name
                info = os.lstat(path)
                if (info.st_dev, info.st_ino) == (secret.st_dev, secret.st_ino):
                    continue  # the dropper's own hard link to the secret, moved unread into failed/
                if stat.S_ISREG(info.st_mode) and SECRET in open(path, "rb").read():
                    leaks.append(escaped(path))
        if SECRET in open(self.log, "rb").read():
            leaks.append("daemon.log")
        return leaks

    def vanished_logged(self):
        return open(self.log, "rb").read().count(b"claimed file vanished from work/")


def judge(spool, status, expected, extra_ok=None, note=""):
    """expected: {source name: set of accepted results}, a result being "outbox", "failed:<code>" or "ignored".

    Returns (inputs, lost, duplicated, partial, outcome, ok)."""
    outbox, failed, partial = spool.results()
    lost = duplicated = 0
    wrong = []
    tally = collections.Counter()
    inbox_left = {escaped(n) for n in os.listdir(os.fsencode(spool.dirs["inbox"]))}
    for name, accepted in expected.items():
        results = ["outbox"] * len(outbox.get(name, [])) + ["failed:" + c for c in failed.get(name, [])]
        if name in inbox_left and "ignored" in accepted:
            results.append("ignored")
        if not results:
            lost += 1
            wrong.append(f"{name!r}: no result")
            continue
        if len(results) > 1:
            duplicated += 1
            wrong.append(f"{name!r}: {results}")
            continue
        tally[results[0]] += 1
        if results[0] not in accepted:
            wrong.append(f"{name!r}: {results[0]}, expected {sorted(accepted)}")
    unexpected = (set(outbox) | set(failed)) - set(expected)
    if extra_ok:
        unexpected = {u for u in unexpected if not extra_ok(u)}
    wrong += [f"unexpected result for {u!r}" for u in sorted(unexpected)[:5]]
    leaks = spool.secret_leaks()
    outcome = " ".join(f"{k}={v}" for k, v in sorted(tally.items()))
    outcome += f" exit={status} secret-leaks={len(leaks)}"
    if note:
        outcome += " " + note
    ok = lost == 0 and duplicated == 0 and not partial and not wrong and not leaks and status == 0
    if not ok:
        detail = (wrong + partial + leaks)[:6]
        outcome += " VIOLATION: " + "; ".join(detail)
    return len(expected), lost, duplicated, len(partial), outcome, ok


# Scenarios ---------------------------------------------------------------------------------------------------

def symlink_race():
    """A file swapped for a symlink to a secret between scan and open, RACE_ROUNDS times, from 2 threads.

    Each round writes race-N.txt and renames a symlink (pointing at the secret outside the spool) over it. The
    daemon either claimed the regular file before the swap (an outbox document) and the symlink after, or only
    sees the symlink. Per name: exactly one not-regular-file failure, at most one outbox document, and never
    the secret's bytes."""
    spool = Spool("symlink-race")
    spool.start()

    def writer(parity):
        rng = random.Random(parity)
        for n in range(parity, RACE_ROUNDS, 2):
            name = f"race-{n}.txt".encode()
            link = f".link-{n}".encode()
            with open(spool.inbox(name), "wb") as f:
                f.write(article(n))
            os.symlink(spool.secret, spool.inbox(link))
            # A varying head start, so the swap lands before, during and after the claim.
            time.sleep(rng.random() * 0.004 if n % 3 else 0)
            os.rename(spool.inbox(link), spool.inbox(name))
    threads = [threading.Thread(target=writer, args=(p,)) for p in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # And the other order: a symlink first, replaced by a regular file (always ends in the outbox when the
    # file won, or as a symlink failure plus the file).
    quiet = spool.wait_quiet(300)
    status = spool.stop()
    outbox, failed, _ = spool.results()
    lost = duplicated = 0
    problems = []
    processed = 0
    for n in range(RACE_ROUNDS):
        key = f"race-{n}.txt"
        codes, docs = failed.get(key, []), outbox.get(key, [])
        processed += len(docs)
        if codes != ["not-regular-file"]:
            if len(codes) == 0:
                lost += 1
            elif len(codes) > 1:
                duplicated += 1
            else:
                problems.append(f"{key}: {codes}")
        if len(docs) > 1:
            duplicated += 1
        for doc in docs:
            if SECRET.decode() in json.dumps(doc):
                problems.append(f"{key}: secret in document")
    _, _, partial = spool.results()
    leaks = spool.secret_leaks()
    with open(spool.secret, "rb") as f:
        intact = SECRET in f.read()
    ok = quiet and not problems and not partial and not leaks and lost == 0 and duplicated == 0 and status == 0 and intact
    outcome = (f"symlinks-refused={sum(1 for n in range(RACE_ROUNDS) if failed.get(f'race-{n}.txt') == ['not-regular-file'])} "
               f"files-won-race={processed} exit={status} secret-leaks={len(leaks)} secret-intact={intact}")
    if not ok:
        outcome += " VIOLATION: " + "; ".join((problems + partial + leaks)[:6] + ([] if quiet else ["not quiet"]))
    return 2 * RACE_ROUNDS, lost, duplicated, len(partial), outcome, ok


def hostile_names():
    """Names with newlines, control characters, leading dashes, dots, backslashes, 255 bytes, invalid UTF-8."""
    spool = Spool("hostile-names")
    spool.start()
    good = [
        b"line\nbreak.txt", b"\n.txt", b"cr\rreturn.txt", b"tab\tname.txt", b"esc\x1b[31mred.txt",
        b"-rf.txt", b"--help.txt", b"-", b"--", b"-n", b"a..b.txt", b"x..txt", b"back\\slash.txt",
        b"quote\"and'.txt", b"semi;rm -rf ~.txt", b"$(touch pwned).txt", b"*?[].txt", b" leading-space.txt",
        b"trailing-space.txt ", b"\xff\xfe.txt", b"caf\xe9.txt", b"\xc0\xaf.txt", b"\xed\xa0\x80surrogate.txt",
        b"\xf4\x90\x80\x80beyond.txt", b"\x80" * 251 + b".txt", b"L" * 251 + b".txt", "é".encode() * 125 + b"a.txt",
        b"L" * 255, b"noextension",
    ]
    ignored_names = [b"..", b"...", b"..secret.txt", b".hidden.txt", b"x.tmp", b"y.part", b"z~"]
    expected = {}
    for n, name in enumerate(good):
        with open(spool.inbox(name), "wb") as f:
            f.write(article(n))
        expected[escaped(name)] = {"outbox", "failed:unsupported-format"}
    for name in ignored_names:
        if name == b"..":
            continue  # the parent entry: cannot be created, only named
        with open(spool.inbox(name), "wb") as f:
            f.write(article(999))
        expected[escaped(name)] = {"ignored"}
    quiet = spool.wait_quiet(120)
    status = spool.stop()
    # Nothing was written outside the spool through a name: the spool root holds only what we made.
    outside = sorted(set(os.listdir(spool.root)) - {"spool", "outside", "daemon.log"})
    result = list(judge(spool, status, expected, note=f"quiet={quiet}"))
    if outside or not quiet:
        result[4] += f" VIOLATION: stray entries beside the spool {outside}" if outside else " VIOLATION: not quiet"
        result[5] = False
    # Every name that ends in .txt must give an outbox document, not unsupported-format.
    outbox, failed, _ = spool.results()
    for name in good:
        if name.endswith(b".txt") and escaped(name) not in outbox:
            result[4] += f" VIOLATION: {escaped(name)!r} not in outbox ({failed.get(escaped(name))})"
            result[5] = False
    return tuple(result)


def deep_structures():
    """JSON nested 100,000 deep, HTML nested 100,000 deep, front matter that never closes."""
    spool = Spool("deep-structures")
    spool.start()
    files = {
        b"deep-array.json": (b"[" * 100_000 + b"]" * 100_000, {"failed:invalid-json"}),
        b"deep-in-text.json": (b'{"title": "x", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", {"failed:invalid-json"}),
        b"deep-object.json": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, {"failed:invalid-json"}),
        b"deep-unclosed.json": (b"{\"text\": " + b"[" * 100_000, {"failed:invalid-json"}),
        b"deep.html": (b"<html><body>" + b"<div>" * 100_000 + b"<p>" + article(1) + b"</p>" + b"</div>" * 100_000 + b"</body></html>",
                       {"outbox"}),
        b"deep-unclosed.html": (b"<div>" * 100_000 + article(2), {"outbox"}),
        b"frontmatter-open.md": (b"---\ntitle: never closes\nauthor: x\n\n" + article(3), {"outbox"}),
        b"frontmatter-huge.md": (b"---\n" + b"key: value\n" * 400_000, {"outbox", "failed:empty"}),
        b"frontmatter-only-dashes.md": (b"---\n" * 200_000, {"outbox", "failed:empty"}),
    }
    expected = {}
    for name, (body, accepted) in files.items():
        with open(os.fsencode(spool.root) + b"/" + name, "wb") as f:
            f.write(body)
        os.rename(os.fsencode(spool.root) + b"/" + name, spool.inbox(name))
        expected[escaped(name)] = accepted
    started = time.time()
    quiet = spool.wait_quiet(300)
    elapsed = time.time() - started
    status = spool.stop()
    result = list(judge(spool, status, expected, note=f"drained-in={elapsed:.1f}s"))
    if not quiet:
        result[4] += " VIOLATION: not quiet within 300 s"
        result[5] = False
    return tuple(result)


def big_line():
    """A BIG_LINE_MB single line (over max_article_bytes: refused by size, never read) and a 9 MB single
    line just under the cap (read and analysed). Peak RSS must stay far below the 200 MB file."""
    spool = Spool("big-line")
    spool.start()
    big = os.path.join(spool.root, "big.txt")
    with open(big, "wb") as f:
        chunk = b"word " * 200_000  # 1 MB, no newline, no sentence end
        for _ in range(BIG_LINE_MB):
            f.write(chunk)
    near = os.path.join(spool.root, "near-cap.txt")
    with open(near, "wb") as f:
        f.write(b"word " * (9 * 200_000))
    started = time.time()
    os.rename(big, spool.inbox(b"big.txt"))
    os.rename(near, spool.inbox(b"near-cap.txt"))
    peak = 0
    deadline = time.time() + 600
    quiet = False
    while time.time() < deadline:
        try:
            for line in open(f"/proc/{spool.process.pid}/status"):
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        if spool.pending() == 0:
            quiet = spool.wait_quiet(5)
            break
        time.sleep(0.3)
    elapsed = time.time() - started
    status = spool.stop()
    expected = {"big.txt": {"failed:too-large"}, "near-cap.txt": {"outbox", "failed:analysis-failed"}}
    result = list(judge(spool, status, expected, note=f"drained-in={elapsed:.1f}s peak-rss={peak // 1024}MiB"))
    if not quiet:
        result[4] += " VIOLATION: not drained within 600 s"
        result[5] = False
    if peak > 1024 * 1024:  # KiB: more than 1 GiB for a 9 MB article
        result[4] += " VIOLATION: peak RSS over 1 GiB"
        result[5] = False
    return tuple(result)


def empty_files():
    """EMPTY_FILES empty files renamed in at once: each one failed/ pair with code `empty`."""
    spool = Spool("empty-files")
    stage = os.path.join(spool.root, "stage")
    os.makedirs(stage)
    for n in range(EMPTY_FILES):
        open(os.path.join(stage, f"empty-{n:05d}.txt"), "wb").close()
    spool.start()
    started = time.time()
    for n in range(EMPTY_FILES):
        os.rename(os.path.join(stage, f"empty-{n:05d}.txt"), os.path.join(spool.dirs["inbox"], f"empty-{n:05d}.txt"))
    quiet = spool.wait_quiet(900)
    elapsed = time.time() - started
    status = spool.stop()
    expected = {f"empty-{n:05d}.txt": {"failed:empty"} for n in range(EMPTY_FILES)}
    result = list(judge(spool, status, expected, note=f"drained-in={elapsed:.1f}s ({EMPTY_FILES / elapsed:.0f} files/s)"))
    if not quiet:
        result[4] += " VIOLATION: not drained within 900 s"
        result[5] = False
    return tuple(result)


def vanishing():
    """Files truncated or unlinked in work/ while the daemon processes them (root acting behind its back),
    and in the inbox before the claim. A file we unlinked from work/ may end with no result only if the daemon
    logged that it vanished; every other file gets exactly one result."""
    spool = Spool("vanishing", env={"NEWSD_WORKERS": "2"})
    spool.start()
    corpus = sorted(os.path.join(ROOT, "..", "shared", "corpus", "wikinews-2019-2020", n)
                    for n in os.listdir(os.path.join(ROOT, "..", "shared", "corpus", "wikinews-2019-2020")) if n.endswith(".txt"))
    texts = [open(p, "rb").read() for p in corpus[:200]]
    stage = os.path.join(spool.root, "stage")
    os.makedirs(stage)
    unlinked, truncated, inbox_unlinked = set(), set(), set()
    stop = threading.Event()
    work = os.fsencode(spool.dirs["work"])
    rng = random.Random(5)

    def saboteur():
        while not stop.is_set():
            try:
                names = os.listdir(work)
            except OSError:
                continue
            for name in names:
                action = rng.random()
                try:
                    if action < 0.15:
                        os.unlink(work + b"/" + name)
                        unlinked.add(os.fsdecode(name))
                    elif action < 0.30:
                        os.truncate(work + b"/" + name, rng.choice([0, 10, 100]))
                        truncated.add(os.fsdecode(name))
                except OSError:
                    pass
            time.sleep(0.002)
    thread = threading.Thread(target=saboteur)
    thread.start()
    for n in range(VANISH_FILES):
        name = f"v-{n:05d}.txt"
        # Large enough that reading and analysing take a moment.
        with open(os.path.join(stage, name), "wb") as f:
            f.write(texts[n % len(texts)] * 3 + f"\nCopy {n}.\n".encode())
        os.rename(os.path.join(stage, name), os.path.join(spool.dirs["inbox"], name))
        if n % 50 == 7:
            try:
                os.unlink(os.path.join(spool.dirs["inbox"], name))
                inbox_unlinked.add(name)
            except OSError:
                pass
    quiet = spool.wait_quiet(600)
    stop.set()
    thread.join()
    status = spool.stop()
    outbox, failed, partial = spool.results()
    # The test removed the claimed file after its error document was durable, before the original could
    # join it: the document is the input's one result, the original is gone (the daemon logs it vanished).
    orphan_prefix = "error document without original "
    orphans = [p for p in partial if p.startswith(orphan_prefix) and p[len(orphan_prefix):] in unlinked]
    partial = [p for p in partial if p not in orphans]
    lost = duplicated = 0
    wrong = []
    tally = collections.Counter()
    no_result_unlinked = 0
    for n in range(VANISH_FILES):
        name = f"v-{n:05d}.txt"
        results = ["outbox"] * len(outbox.get(name, [])) + ["failed:" + c for c in failed.get(name, [])]
        if len(results) > 1:
            duplicated += 1
            wrong.append(f"{name}: {results}")
        elif not results:
            if name in unlinked:
                no_result_unlinked += 1
            elif name not in inbox_unlinked:
                lost += 1
                wrong.append(f"{name}: no result")
        else:
            tally[results[0]] += 1
            # A truncated file is read as it is now (cut to nothing: empty; cut and grown again by a second
            # truncate: NULs, unsupported-format); an untouched one must be analysed.
            if results[0] != "outbox" and name not in truncated:
                wrong.append(f"{name}: {results[0]} but never truncated")
    logged = spool.vanished_logged()
    # Every file we unlinked that has no result must have its log record; extra records are files unlinked
    # after the daemon read them (the result is then already durable and the log says vanished on disposal).
    if logged < no_result_unlinked:
        wrong.append(f"only {logged} 'vanished' log records for {no_result_unlinked} unlinked files without result")
    leaks = spool.secret_leaks()
    ok = quiet and lost == 0 and duplicated == 0 and not partial and not wrong and status == 0
    outcome = (" ".join(f"{k}={v}" for k, v in sorted(tally.items())) +
               f" unlinked-in-work={len(unlinked)} (no-result={no_result_unlinked}, vanished-logged={logged})"
               f" truncated-in-work={len(truncated)} unlinked-in-inbox={len(inbox_unlinked)}"
               f" error-docs-whose-original-the-test-removed={len(orphans)} exit={status}")
    if not ok:
        outcome += " VIOLATION: " + "; ".join((wrong + partial + leaks)[:6] + ([] if quiet else ["not quiet"]))
    return VANISH_FILES, lost, duplicated, len(partial), outcome, ok


def special_entries():
    """A directory renamed into the inbox (with files and a symlink inside), FIFOs, character and block
    devices, a UNIX socket and hard links: each refused with not-regular-file without being opened."""
    spool = Spool("special-entries")
    spool.start()
    expected = {}
    stage = os.path.join(spool.root, "stage")
    os.makedirs(os.path.join(stage, "folder.txt", "sub"))
    with open(os.path.join(stage, "folder.txt", "inside.txt"), "wb") as f:
        f.write(article(1))
    os.symlink(spool.secret, os.path.join(stage, "folder.txt", "sub", "secret-link.txt"))
    os.rename(os.path.join(stage, "folder.txt"), os.path.join(spool.dirs["inbox"], "folder.txt"))
    expected["folder.txt"] = {"failed:not-regular-file"}
    os.makedirs(os.path.join(stage, "spool-lookalike", "outbox"))
    os.rename(os.path.join(stage, "spool-lookalike"), os.path.join(spool.dirs["inbox"], "spool-lookalike"))
    expected["spool-lookalike"] = {"failed:not-regular-file"}
    inbox = spool.dirs["inbox"]
    os.mkfifo(os.path.join(inbox, "fifo.txt"))
    expected["fifo.txt"] = {"failed:not-regular-file"}
    os.mknod(os.path.join(inbox, "chardev.txt"), 0o644 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    expected["chardev.txt"] = {"failed:not-regular-file"}
    os.mknod(os.path.join(inbox, "zero.txt"), 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero: endless
    expected["zero.txt"] = {"failed:not-regular-file"}
    os.mknod(os.path.join(inbox, "blockdev.txt"), 0o644 | stat.S_IFBLK, os.makedev(7, 0))
    expected["blockdev.txt"] = {"failed:not-regular-file"}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.path.join(inbox, "socket.txt"))
    expected["socket.txt"] = {"failed:not-regular-file"}
    with open(os.path.join(spool.outside, "original.txt"), "wb") as f:
        f.write(article(2))
    os.link(os.path.join(spool.outside, "original.txt"), os.path.join(inbox, "hardlink.txt"))
    expected["hardlink.txt"] = {"failed:not-regular-file"}
    os.link(spool.secret, os.path.join(inbox, "secret-hardlink.txt"))
    expected["secret-hardlink.txt"] = {"failed:not-regular-file"}
    quiet = spool.wait_quiet(60)
    # The FIFO was never opened for reading: a non-blocking writer finds no reader (ENXIO) — and if newsd
    # held it open, this would succeed.
    fifo_reader = False
    try:
        fd = os.open(os.path.join(spool.dirs["failed"], "fifo.txt"), os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        fifo_reader = True
    except OSError:
        pass
    status = spool.stop()
    sock.close()
    result = list(judge(spool, status, expected))
    with open(os.path.join(spool.outside, "original.txt"), "rb") as f:
        intact = f.read() == article(2)
    if not quiet or fifo_reader or not intact:
        result[4] += f" VIOLATION: quiet={quiet} fifo-opened={fifo_reader} hardlink-target-intact={intact}"
        result[5] = False
    return tuple(result)


def least_privilege():
    """The daemon as nobody (setpriv, no supplementary groups) on a spool it owns, except for an outbox that
    is root's: it must pause on EACCES (articles stay in work/, nothing in failed/, nothing written anywhere),
    resume once the outbox is handed over, and fail a dropper's 0600 file as `unreadable`."""
    spool = Spool("least-privilege")
    os.chmod(spool.root, 0o755)
    for path in [os.path.join(spool.root, "spool"), os.path.join(spool.root, "spool", "state")] + \
            [spool.dirs[d] for d in ("inbox", "work", "failed", "archive")]:
        os.makedirs(path, exist_ok=True)
        os.chown(path, 65534, 65534)
    os.chmod(spool.dirs["outbox"], 0o755)  # root:root
    wrapped = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs", "--", BIN]
    spool.logfile = open(spool.log, "wb")
    spool.process = subprocess.Popen(
        wrapped + ["run", "--spool-root", os.path.join(spool.root, "spool"), "--log-target", "stderr"],
        cwd=spool.root, env=spool.env, stdout=spool.logfile, stderr=spool.logfile, stdin=subprocess.DEVNULL)
    deadline = time.time() + 60
    while b"ready: recovery and first scan done" not in open(spool.log, "rb").read():
        if time.time() > deadline or spool.process.poll() is not None:
            raise RuntimeError("unprivileged daemon not ready; see " + spool.log)
        time.sleep(0.05)
    uid_line = next(line for line in open(f"/proc/{spool.process.pid}/status") if line.startswith("Uid:"))
    expected = {}
    for n in range(50):
        with open(spool.inbox(f"a-{n:02d}.txt".encode()), "wb") as f:
            f.write(article(n))
        expected[f"a-{n:02d}.txt"] = {"outbox"}
    fd = os.open(spool.inbox(b"private.txt"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, article(99))
    os.close(fd)
    expected["private.txt"] = {"failed:unreadable"}
    paused = False
    deadline = time.time() + 30
    while time.time() < deadline and not paused:
        paused = b"storage fault: claiming paused" in open(spool.log, "rb").read()
        time.sleep(0.1)
    time.sleep(1)
    outbox_while_paused = len(os.listdir(spool.dirs["outbox"]))
    failed_while_paused = sorted(os.listdir(spool.dirs["failed"]))
    os.chown(spool.dirs["outbox"], 65534, 65534)
    quiet = spool.wait_quiet(120)
    status = spool.stop()
    # Nothing owned by nobody outside the spool.
    stray = [os.path.join(top, n) for top, dirs, files in os.walk(spool.root) for n in dirs + files
             if not os.path.join(top, n).startswith(os.path.join(spool.root, "spool"))
             and os.lstat(os.path.join(top, n)).st_uid == 65534]
    result = list(judge(spool, status, expected, note=f"uid={'/'.join(uid_line.split()[1:])} paused-on-eacces={paused}"))
    # While paused, only the unreadable file may have reached failed/; the outbox stayed empty.
    bad_pause = outbox_while_paused or any(not n.startswith("private.txt") for n in failed_while_paused)
    if not paused or bad_pause or stray or not quiet or uid_line.split()[1:] != ["65534"] * 4:
        result[4] += (f" VIOLATION: paused={paused} outbox-while-paused={outbox_while_paused} "
                      f"failed-while-paused={failed_while_paused} owned-outside={stray[:3]} quiet={quiet}")
        result[5] = False
    return tuple(result)


SCENARIOS = {
    "symlink-race": symlink_race,
    "hostile-names": hostile_names,
    "deep-structures": deep_structures,
    "big-line": big_line,
    "empty-files": empty_files,
    "vanishing": vanishing,
    "special-entries": special_entries,
    "least-privilege": least_privilege,
}


def main():
    if not BIN or not os.path.exists(BIN):
        print("no newsd binary: swift build -c release --static-swift-stdlib (or set NEWSD_BINARY)", file=sys.stderr)
        return 2
    chosen = sys.argv[1:] or list(SCENARIOS)
    failures = 0
    for scenario in chosen:
        started = time.time()
        try:
            inputs, lost, duplicated, partial, outcome, ok = SCENARIOS[scenario]()
        except Exception as error:  # noqa: BLE001 - a scenario that cannot run is a failure, reported as such
            inputs, lost, duplicated, partial, outcome, ok = 0, 0, 0, 0, f"ERROR {type(error).__name__}: {error}", False
        outcome += f" ({time.time() - started:.0f}s)"
        print(f"ROW|{scenario}|{inputs}|{lost}|{duplicated}|{partial}|{outcome}", flush=True)
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
