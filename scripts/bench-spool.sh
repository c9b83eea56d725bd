#!/usr/bin/env bash
# End-to-end drain benchmark (issue: the spool daemon). Fills an inbox with N copies of the corpus
# articles, starts `newsd run` on it, and measures files/s until every file has its outbox document, and
# the daemon's peak RSS. In the same run it measures the floor: a plain write + fsync + rename of the very
# same output documents, one after the other, in the same file system.
#
#   N=10000 WORKERS=0 ./scripts/bench-spool.sh        (WORKERS=0: one per core)
#   LEDGER=0 ./scripts/bench-spool.sh                  (without the ledger, to measure what it costs)
#   FEED=mixed ./scripts/bench-spool.sh                (new articles rather than near-copies; see below)
#   FEED=fresh ./scripts/bench-spool.sh                (new articles that rarely share a sentence; see below)
#   PERF_DATA=/tmp/drain.data ./scripts/bench-spool.sh  (the daemon runs under perf record, call graphs and all)
#   CALLGRIND_OUT=/tmp/drain.out ./scripts/bench-spool.sh  (under valgrind's callgrind: see ledger-instructions.sh)
#
# FEED=copies (the default): the copies share their text but for one line, so with the ledger every one
# after the first of each corpus article is a near-duplicate, the lookup's worst case. FEED=mixed: each
# file is a new article made of whole paragraphs, about 1,400 bytes, from each of three corpus articles
# (seeded, so every run gets the same files), under the first one's title: a feed of mostly new
# articles. But every file shares a third of its words with dozens before it (the same opening of one of
# 292 articles), so a lookup verifies many candidates that all fail: 4 a file over 5,000 files, 15 over
# 20,000. FEED=fresh: each file is 5 to 8 paragraphs of 3 to 5 sentences drawn at random from the whole
# corpus (about 7,000 sentences; seeded), under a sentence's first words as its title: new articles that
# share a sentence now and then (2 candidates a file over 20,000). It also puts every corpus sentence at the
# start of some article, where the date grammar once crashed on "Recent".
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
WORKERS=${WORKERS:-0}
LEDGER=${LEDGER:-1}
BIN=${NEWSD_BINARY:-.build/release/newsd}
DIR=${BENCH_DIR:-$(pwd)/.build/bench}
CORPUS=${CORPUS:-../shared/corpus/wikinews-2019-2020}

[ -x "$BIN" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 1; }
rm -rf "$DIR"
mkdir -p "$DIR/spool/inbox" "$DIR/stage"

python3 - "$CORPUS" "$DIR/stage" "$N" "${FEED:-copies}" <<'PY'
import glob, os, random, re, sys
corpus, stage, n, feed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
articles = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(corpus, "*.txt")))]
if feed not in ("copies", "mixed", "fresh"):
    sys.exit(f"FEED must be copies, mixed or fresh, not {feed}")
sentences = [
    sentence
    for article in articles
    for paragraph in article.decode().strip().split("\n")[1:]
    for sentence in re.split(r"(?<=[.!?\"\u201d])\s+", paragraph)
    if len(sentence) > 30
]
for i in range(n):
    if feed == "copies":
        # A distinct last line keeps every copy's id (and so its output) distinct.
        text = articles[i % len(articles)] + f"\nCopy {i}.\n".encode()
    elif feed == "fresh":
        rng = random.Random(i)
        paragraphs = [" ".join(rng.sample(sentences, rng.randint(3, 5))) for _ in range(rng.randint(5, 8))]
        text = ("\n".join([rng.choice(sentences)[:70].rstrip(". "), *paragraphs]) + "\n").encode()
    else:
        rng = random.Random(i)
        parts = []
        for k, source in enumerate(rng.sample(articles, 3)):
            lines = source.decode().strip().split("\n")
            title, paragraphs = lines[0], lines[1:]
            if k == 0:
                parts.append(title)
            # Whole paragraphs up to about 1,400 bytes (a third of an average corpus article): a long
            # interview must not make every mix that samples it a copy of the others.
            start = rng.randrange(0, len(paragraphs)) if k else 0
            size = 0
            for paragraph in paragraphs[start:]:
                if size and size + len(paragraph) > 1400:
                    break
                parts.append(paragraph)
                size += len(paragraph)
        text = ("\n".join(parts) + "\n").encode()
    with open(os.path.join(stage, f"article-{i:06d}.txt"), "wb") as f:
        f.write(text)
PY
bytes=$(du -sb "$DIR/stage" | cut -f1)
# Rename into the inbox: the daemon sees complete files.
find "$DIR/stage" -maxdepth 1 -type f -name '*.txt' -exec mv -t "$DIR/spool/inbox" {} +

start=$(date +%s.%N)
ledger_setting=true
[ "$LEDGER" = 0 ] && ledger_setting=false
recorder=()
# PERF_CALL_GRAPH=dwarf unwinds with DWARF (Debian's libsqlite3 has no frame pointers, so SQLite's samples
# need it), at a lower rate to keep the data small: see scripts/perf-ledger-parts.py.
if [ "${PERF_CALL_GRAPH:-fp}" = dwarf ]; then perf_options=(-F 250 --call-graph dwarf,16384); else perf_options=(-F 2000 -g); fi
[ -n "${PERF_DATA:-}" ] && recorder=(perf record -q -e cpu-clock "${perf_options[@]}" -o "$PERF_DATA" --)
[ -n "${CALLGRIND_OUT:-}" ] && recorder=(valgrind -q --tool=callgrind --callgrind-out-file="$CALLGRIND_OUT" --)
NEWSD_LEDGER=$ledger_setting NEWSD_SETTLE_TIME=0 NEWSD_WORKERS=$WORKERS "${recorder[@]}" "$BIN" run --spool-root "$DIR/spool" \
    --log-target stderr --log-level warning 2>"$DIR/daemon.log" &
pid=$!
child=$pid
# Under perf, the daemon is perf's child.
if [ -n "${PERF_DATA:-}" ]; then until pid=$(pgrep -P "$child"); do sleep 0.01; done; fi
trap 'kill -9 $pid 2>/dev/null || true' EXIT
peak=0
while :; do
    done_count=$( (find "$DIR/spool/outbox" -maxdepth 1 -name '*.json' -not -name '.*' 2>/dev/null || true) | wc -l)
    rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    [ "$done_count" -ge "$N" ] && break
    kill -0 $pid 2>/dev/null || { echo "daemon died; see $DIR/daemon.log" >&2; exit 1; }
    sleep 0.5
done
# The drain ended when the last document got its name: the newest change time in the outbox. Taking the
# time the loop above noticed instead rounded every run up to its next poll, which on a 3 s drain was
# worth ±7 % (runs of one build clustered 0.2 s apart).
end=$(find "$DIR/spool/outbox" -maxdepth 1 -name '*.json' -not -name '.*' -printf '%C@\n' | sort -n | tail -1)
# The daemon's CPU time for the drain (user + system, in clock ticks): steadier than wall time when other
# work shares the machine.
cpu_ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
user_ticks=$(awk '{print $14}' /proc/$pid/stat)
# What the daemon wrote: bytes passed to write calls (documents, the ledger's WAL and its checkpoints) and
# bytes sent to storage so far (the kernel may still hold some).
written=$(awk '/^wchar/ {w=$2} /^write_bytes/ {s=$2} END {print w, s}' /proc/$pid/io)
kill -TERM $pid
wait $child || true

floor=$(python3 - "$DIR/spool/outbox" "$DIR/floor" <<'PY'
import os, sys, time
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
docs = [open(os.path.join(src, n), "rb").read() for n in sorted(os.listdir(src)) if not n.startswith(".")]
d = os.open(dst, os.O_RDONLY | os.O_DIRECTORY)
t = time.perf_counter()
for i, data in enumerate(docs):
    tmp = os.path.join(dst, f".tmp-{i}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.rename(tmp, os.path.join(dst, f"{i}.json"))
elapsed = time.perf_counter() - t
print(f"{len(docs) / elapsed:.0f}")
PY
)

python3 - "$N" "$start" "$end" "$peak" "$floor" "$bytes" "$WORKERS" "$ledger_setting" "$cpu_ticks" "$(getconf CLK_TCK)" "$user_ticks" $written <<'PY'
import sys
n, start, end, peak, floor, size, workers, ledger, ticks, hz, user, wchar, stored = sys.argv[1:]
n = int(n); seconds = float(end) - float(start); rate = n / seconds
print(f"newsd drain: {n} files ({int(size) / 1e6:.1f} MB) in {seconds:.2f} s = {rate:.0f} files/s, "
      f"peak RSS {int(peak) / 1024:.1f} MiB (workers={workers or 'cores'}, ledger={ledger})")
print(f"daemon CPU: {int(ticks) / int(hz):.2f} s = {int(ticks) / int(hz) / n * 1e3:.3f} ms per file "
      f"(user {int(user) / int(hz) / n * 1e3:.3f}, system {(int(ticks) - int(user)) / int(hz) / n * 1e3:.3f})")
print(f"daemon writes: {int(wchar) / n / 1024:.1f} KiB per file in write calls, {int(stored) / n / 1024:.1f} KiB sent to storage")
print(f"floor (write+fsync+rename, same outputs, one thread): {floor} files/s")
print(f"newsd / floor = {rate / float(floor) * 100:.0f} %")
PY
