#!/usr/bin/env bash
# Summary ROUGE on a development proxy: newsd's extractive summary next to Lead-3.
#
#   scripts/summary-proxy.sh [PROXY_DIR]          default PROXY_DIR: ../notes/gum-proxy
#   NEWSD_BINARY=.build/debug/newsd scripts/summary-proxy.sh
#
# The only human-summary gold newsd is judged on is the held-out GUM news set (24 Wikinews articles). Nobody
# tunes on it. This proxy is built from *other* GUM documents (amir-zeldes/gum, dep/*.conllu: Wikinews
# interviews, Wikipedia biographies, Wikivoyage, ...; annotations CC-BY 4.0, Wikinews texts CC-BY 2.5,
# Wikipedia/Wikivoyage CC-BY-SA), never GUM_news_*. Each document's `# meta::summary*` comments are its
# human summaries; the text is rebuilt as ../shared/eval/README.md describes for GUM (headline as title,
# paragraphs separated by a blank line, sentences by a space). The texts are NOT in this repository: the
# folder holds NAME.json ({text, title}) and NAME.gold.json ({summaries, gold_sentences, genre}) pairs, the
# layout ../shared/eval/score.py reads. The folder's build.py regenerates them from its src/ extracts (one
# sentence a line, blank line = paragraph, the GUM commit each came from is noted in its README).
#
# Prints score.py's summary line for newsd, for Lead-3 over GUM's own sentence boundaries (the reference
# Lead-3), and for Lead-3 over newsd's sentences, then a per-document and per-genre table of ROUGE-1/2/L F1.
# Needs rouge-score (pip install rouge-score). Outputs stay in .build/summary-proxy/.
set -euo pipefail
cd "$(dirname "$0")/.."
PROXY=${1:-../notes/gum-proxy}
BIN=${NEWSD_BINARY:-.build/release/newsd}
EVAL=${EVAL_DIR:-../shared/eval}
OUT=.build/summary-proxy
[ -x "$BIN" ] || { echo "no $BIN: build it first (swift build -c release --product newsd)" >&2; exit 1; }
python3 -c 'import rouge_score' 2>/dev/null || { echo "needs rouge-score: pip install rouge-score" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT/inbox" "$OUT/newsd" "$OUT/lead3-gold" "$OUT/lead3-newsd"
for f in "$PROXY"/*.json; do
    case "$f" in *.gold.json) ;; *) cp "$f" "$OUT/inbox/" ;; esac
done
"$BIN" batch --inbox "$OUT/inbox" --outbox "$OUT/newsd" --failed "$OUT/failed" \
    --archive "$OUT/archive" --on-success delete --quiet >/dev/null 2>"$OUT/newsd.log" || true

python3 - "$PROXY" "$OUT" "$EVAL" <<'PY'
import importlib.util, json, os, sys
proxy, out, evaldir = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("score", os.path.join(evaldir, "score.py"))
score = importlib.util.module_from_spec(spec); spec.loader.exec_module(score)
names = sorted(f[:-len(".gold.json")] for f in os.listdir(proxy) if f.endswith(".gold.json"))
golds = {n: json.load(open(os.path.join(proxy, n + ".gold.json"), encoding="utf-8")) for n in names}
texts = {n: json.load(open(os.path.join(proxy, n + ".json"), encoding="utf-8"))["text"] for n in names}
newsd = {}
for n in names:
    p = os.path.join(out, "newsd", n + ".json")
    newsd[n] = json.load(open(p, encoding="utf-8")) if os.path.exists(p) else {}
# Lead-3 as system documents, so score.py scores them exactly like newsd's output.
for n in names:
    lead = {"text": texts[n], "sentences": golds[n]["gold_sentences"], "summary": [0, 1, 2]}
    json.dump(lead, open(os.path.join(out, "lead3-gold", n + ".json"), "w"))
    own = {"text": texts[n], "sentences": newsd[n].get("sentences") or [], "summary": [0, 1, 2]}
    json.dump(own, open(os.path.join(out, "lead3-newsd", n + ".json"), "w"))
systems = [("newsd", "newsd"), ("lead3-gold", "Lead-3 (GUM sentences)"), ("lead3-newsd", "Lead-3 (newsd sentences)")]
for sub, label in systems:
    res = score.score(proxy, os.path.join(out, sub), warn=lambda m: None)
    r = res["summaries"]
    print(f"{label:26s} R1 {100*r['rouge1']:5.1f}  R2 {100*r['rouge2']:5.1f}  RL {100*r['rougeL']:5.1f}  ({r['docs']} docs)")
print()
print(f"{'document':34s} {'newsd R1/R2/RL':>17s}   {'Lead-3 R1/R2/RL':>17s}   newsd picks")
per_genre = {}
for n in names:
    row = []
    for sub, _ in systems[:2]:
        s = score.SummaryScore()
        doc = json.load(open(os.path.join(out, sub, n + ".json"), encoding="utf-8")) if os.path.exists(os.path.join(out, sub, n + ".json")) else {}
        s.add(golds[n]["summaries"], score.summary_text(doc))
        row.append(s.result())
    g = golds[n].get("genre", "?")
    acc = per_genre.setdefault(g, [[0.0] * 3, [0.0] * 3, 0])
    for i, r in enumerate(row):
        for j, k in enumerate(("rouge1", "rouge2", "rougeL")):
            acc[i][j] += r[k]
    acc[2] += 1
    f = lambda r: f"{100*r['rouge1']:5.1f}/{100*r['rouge2']:4.1f}/{100*r['rougeL']:4.1f}"
    print(f"{n:34s} {f(row[0]):>17s}   {f(row[1]):>17s}   {newsd[n].get('summary')}")
print()
for g, (a, b, c) in sorted(per_genre.items()):
    print(f"{g:12s} {c:2d} docs  newsd {'/'.join(f'{100*x/c:.1f}' for x in a):>16s}   Lead-3 {'/'.join(f'{100*x/c:.1f}' for x in b):>16s}")
PY
