#!/usr/bin/env python3
"""Tooling: break down quote-stage misses on an eval set (gold vs newsd output), with score.py's matching.

usage: scripts/quotes-misses.py [GOLD_DIR] [SYSTEM_DIR] [--show KIND] [--cue WORD] [--limit N] [--seed N]

Prints, at overlap >= 0.3:
  - P/R/F1 for all quotes and per gold kind (direct, mixed, indirect) — recall per kind, and precision of
    system quotes per system kind;
  - missed gold quotes by cue word (lowercased), split into "no system quote touches it" and "a system quote
    overlaps but covers < 30 %";
  - false positives (system quotes matching no gold) by cue word;
  - speaker errors on matched quotes by (system speaker kind) and cue word.
--show miss|fp|speaker prints examples (the sentence around each one) for a look by eye; --cue filters them.
Eval texts are printed to the terminal only; never copy them into the repository.
"""
import argparse
import collections
import importlib.util
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EVAL = os.path.normpath(os.path.join(ROOT, "..", "shared", "eval"))

spec = importlib.util.spec_from_file_location("score", os.path.join(EVAL, "score.py"))
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)


def tokens_of(text):
    starts, ends = [], []
    for m in score.WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    import bisect

    def toks(ps):
        out = set()
        for a, b in ps:
            i = bisect.bisect_right(ends, a)
            while i < len(starts) and starts[i] < b:
                out.add(i)
                i += 1
        return out
    return toks


def match(text, gold, system, t=0.3):
    toks = tokens_of(text)
    golds = [(q, score.pieces(q), toks(score.pieces(q))) for q in gold if score.valid_span(q)]
    syss = [(q, score.pieces(q), toks(score.pieces(q))) for q in system if score.valid_span(q)]
    remaining = list(range(len(syss)))
    pairs = []
    for gq, gps, gt in golds:
        best, best_score = None, -1.0
        best_any = 0.0
        for k in remaining:
            sq, sps, st = syss[k]
            if gt:
                sc = len(gt & st) / len(gt)
            else:
                glen = sum(b - a for a, b in gps)
                sc = score.overlap(gps, sps) / glen if glen else 0.0
            best_any = max(best_any, sc)
            if sc >= t and sc > best_score:
                best, best_score = k, sc
        if best is not None:
            remaining.remove(best)
            pairs.append((gq, syss[best][0], best_any))
        else:
            pairs.append((gq, None, best_any))
    fps = [syss[k][0] for k in remaining]
    return pairs, fps


def cue_word(q):
    c = q.get("cue") if q else None
    if not isinstance(c, dict) or not c.get("text"):
        return "<none>"
    return c["text"].lower().replace("\u2019", "'")


def context(text, q, width=160):
    a, b = q["start"], q["end"]
    for k in ("speaker", "cue"):
        x = q.get(k)
        if isinstance(x, dict) and score.valid_span(x):
            a, b = min(a, x["start"]), max(b, x["end"])
    a = max(0, a - 60)
    b = min(len(text), b + 60)
    s = text[a:b].replace("\n", " / ")
    return s if len(s) <= 2 * width else s[:width] + " … " + s[-width:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold_dir", nargs="?", default=os.path.join(EVAL, "dev", "quotes-polnear"))
    ap.add_argument("sys_dir", nargs="?", default=os.path.join(ROOT, ".build", "eval", "quotes-polnear"))
    ap.add_argument("--show", choices=["miss", "fp", "speaker", "partial", "cue"])
    ap.add_argument("--cue", help="only examples whose gold (or system) cue contains this")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    names = sorted(f[:-len(".gold.json")] for f in os.listdir(args.gold_dir) if f.endswith(".gold.json"))
    kinds = collections.Counter()
    kinds_tp = collections.Counter()
    sys_kinds = collections.Counter()
    sys_kinds_tp = collections.Counter()
    miss_none = collections.Counter()
    miss_partial = collections.Counter()
    fp_cues = collections.Counter()
    spk_err = collections.Counter()
    examples = []
    n_tp = n_sys = n_gold = 0
    for name in names:
        gold = json.load(open(os.path.join(args.gold_dir, name + ".gold.json")))["quotes"]
        text = json.load(open(os.path.join(args.gold_dir, name + ".json")))["text"]
        path = os.path.join(args.sys_dir, name + ".json")
        system = json.load(open(path)).get("quotes") or [] if os.path.exists(path) else []
        pairs, fps = match(text, gold, system)
        n_gold += len(pairs)
        n_sys += len(system)
        for q in system:
            sys_kinds[q.get("kind")] += 1
        for gq, sq, best in pairs:
            kinds[gq["kind"]] += 1
            if sq is not None:
                n_tp += 1
                kinds_tp[gq["kind"]] += 1
                sys_kinds_tp[sq.get("kind")] += 1
                if not score.speaker_ok(gq.get("speaker"), sq.get("speaker")):
                    spk = sq.get("speaker")
                    sk = "null" if score.is_none(spk) else ("gold-null" if score.is_none(gq.get("speaker")) else "wrong")
                    spk_err[(sk, cue_word(gq))] += 1
                    examples.append(("speaker", name, gq, sq, text))
                if not score.cue_ok(gq.get("cue"), sq.get("cue")):
                    examples.append(("cue", name, gq, sq, text))
            elif best > 0:
                miss_partial[cue_word(gq)] += 1
                examples.append(("partial", name, gq, None, text))
                examples.append(("miss", name, gq, None, text))
            else:
                miss_none[cue_word(gq)] += 1
                examples.append(("miss", name, gq, None, text))
        for sq in fps:
            fp_cues[cue_word(sq)] += 1
            examples.append(("fp", name, None, sq, text))

    p, r, f = score.prf(n_tp, n_sys, n_gold)
    print(f"all: P {100*p:.1f} R {100*r:.1f} F1 {100*f:.1f}  ({n_tp} matched, {n_gold} gold, {n_sys} system)")
    for k in ("direct", "mixed", "indirect"):
        kp = sys_kinds_tp[k] / sys_kinds[k] if sys_kinds[k] else 0
        kr = kinds_tp[k] / kinds[k] if kinds[k] else 0
        kf = 2 * kp * kr / (kp + kr) if kp + kr else 0
        print(f"  {k:9s} R {100*kr:5.1f} ({kinds_tp[k]}/{kinds[k]})   P of system-{k} {100*kp:5.1f}"
              f" ({sys_kinds_tp[k]}/{sys_kinds[k]})  F1 {100*kf:.1f}")
    print(f"missed with no system overlap: {sum(miss_none.values())}; partial (<0.3): {sum(miss_partial.values())}")
    print("  top cues, no overlap:", ", ".join(f"{c} {n}" for c, n in miss_none.most_common(60)))
    print("  top cues, partial:", ", ".join(f"{c} {n}" for c, n in miss_partial.most_common(30)))
    print(f"false positives: {sum(fp_cues.values())}")
    print("  by system cue:", ", ".join(f"{c} {n}" for c, n in fp_cues.most_common(50)))
    print(f"speaker errors: {sum(spk_err.values())}")
    print("  ", ", ".join(f"{k[0]}/{k[1]} {n}" for k, n in spk_err.most_common(40)))

    if args.show:
        sel = [e for e in examples if e[0] == args.show]
        if args.cue:
            sel = [e for e in sel if args.cue in cue_word(e[2]) or args.cue in cue_word(e[3])]
        random.Random(args.seed).shuffle(sel)
        for kind, name, gq, sq, text in sel[:args.limit]:
            print("-" * 100)
            print(name)
            if gq:
                sp = gq.get("speaker") or {}
                print(f"GOLD {gq['kind']} cue={cue_word(gq)!r} speaker={sp.get('text')!r}")
                print("   content:", gq["text"][:300].replace("\n", " / "))
                print("   ctx:", context(text, gq))
            if sq:
                sp = sq.get("speaker") or {}
                print(f"SYS  {sq['kind']} cue={cue_word(sq)!r} speaker={sp.get('text')!r} name={sp.get('name')!r}")
                print("   content:", sq["text"][:300].replace("\n", " / "))
                if not gq:
                    print("   ctx:", context(text, sq))


if __name__ == "__main__":
    main()
