#!/usr/bin/env bash
# Throughput of `newsd pipe` against `newsd process` on the same corpus articles (issue 6), and, when
# pyspark is installed, of the Spark job in local mode with its fixed start-up cost measured separately
# (a job over a single record).
#
#   COPIES=20 scripts/bench-pipe.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${NEWSD_BINARY:-.build/release/newsd}
CORPUS=${CORPUS:-../shared/corpus/wikinews-2019-2020}
COPIES=${COPIES:-20}
DIR=.build/bench-pipe
rm -rf "$DIR" && mkdir -p "$DIR/in"

python3 - "$CORPUS" "$DIR" "$COPIES" <<'PY'
import glob, json, os, sys
corpus, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
paths = sorted(glob.glob(os.path.join(corpus, "*.txt")))
with open(os.path.join(out, "records.jsonl"), "w") as f:
    for c in range(copies):
        for p in paths:
            f.write(json.dumps({"id": f"{c}-{os.path.basename(p)}", "text": open(p).read()}) + "\n")
with open(os.path.join(out, "one.jsonl"), "w") as f:
    f.write(json.dumps({"id": "one", "text": "One short article. It has two sentences."}) + "\n")
PY
records=$(wc -l < "$DIR/records.jsonl")
files=$(ls "$CORPUS"/*.txt | wc -l)

t0=$(date +%s.%N)
"$BIN" pipe < "$DIR/records.jsonl" > "$DIR/pipe.out"
t1=$(date +%s.%N)
for _ in $(seq "$COPIES"); do "$BIN" process "$CORPUS"/*.txt > /dev/null; done
t2=$(date +%s.%N)
test "$(wc -l < "$DIR/pipe.out")" -eq "$records"
python3 - "$records" "$t0" "$t1" "$t2" "$((files * COPIES))" <<'PY'
import sys
records, t0, t1, t2, processed = int(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5])
print(f"newsd pipe:    {records} records in {t1 - t0:.2f} s = {records / (t1 - t0):.0f} records/s (all cores)")
print(f"newsd process: {processed} files in {t2 - t1:.2f} s = {processed / (t2 - t1):.0f} files/s (one thread, the whole corpus per call)")
PY

if python3 -c 'import pyspark' 2>/dev/null; then
    submit() { python3 -c 'import pyspark,os;print(os.path.join(os.path.dirname(pyspark.__file__),"bin","spark-submit"))'; }
    spark=$(submit)
    s0=$(date +%s.%N)
    "$spark" --master 'local[2]' --files "$BIN" --conf spark.ui.enabled=false integrations/spark/newsd_spark.py \
        "$DIR/one.jsonl" "$DIR/spark-one" >/dev/null 2>&1
    s1=$(date +%s.%N)
    "$spark" --master 'local[2]' --files "$BIN" --conf spark.ui.enabled=false integrations/spark/newsd_spark.py \
        "$DIR/records.jsonl" "$DIR/spark-all" >/dev/null 2>&1
    s2=$(date +%s.%N)
    out=$(cat "$DIR"/spark-all/part-* | wc -l)
    python3 - "$records" "$s0" "$s1" "$s2" "$out" <<'PY'
import sys
records, s0, s1, s2, out = int(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5])
print(f"spark local[2]: fixed start-up {s1 - s0:.1f} s (a one-record job); {records} records in {s2 - s1:.1f} s "
      f"= {records / (s2 - s1):.0f} records/s including start-up, {records / max(0.001, (s2 - s1) - (s1 - s0)):.0f} records/s without; {out} output lines")
PY
else
    echo "spark: pyspark not installed (pip install pyspark) — skipped"
fi
