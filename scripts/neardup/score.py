#!/usr/bin/env python3
"""Scores near-duplicate detection on a set made by generate.py, for newsd and for datasketch.

A family is an original and its variants. Whichever member is processed first is the family's first; every
other member should carry duplicate_of naming a member of its own family.
  TP  a document whose duplicate_of names a member of its family
  FP  a document whose duplicate_of names a member of another family
  FN  a family member (not the first) without a correct duplicate_of
Precision = TP / (TP + FP), recall = TP / (files - families).

newsd's answers come from the outbox documents (duplicate_of), taken in the order newsd looked them up (its
ledger's sequence). The ceiling line counts the members whose exact overlap with an earlier member of their
family reaches the threshold: the most recall any detector verifying that overlap can have in this order.
The order decides which pairs must match (readdir's order, which differs between machines), so the line
after it gives that ceiling over 200 random orders too.
datasketch (pip install datasketch) runs on
the same texts (each document's `text`), in the same order, with newsd's parameters: the
same shingles (content words keyed by their letters, with their occurrence number), 128 permutations, LSH with 32 bands x 4 rows,
the same threshold, and newsd's policy of indexing every article but exact copies. It is scored
twice: verified with its own Jaccard estimate (datasketch's usual use), and with the overlap
|A∩B|/min(|A|,|B|) derived from that estimate. newsd reports the same overlap, but verifies its LSH
candidates on the stored shingles, so its overlap is exact rather than estimated.

  python3 scripts/neardup/score.py DIR [--threshold 0.8]
"""
import argparse
import glob
import json
import os
import random
import re
from collections import Counter

STOP = set("""a about after again against all also am an and any are as at be because been before being between
both but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how if in into is it its itself just me more most my no nor not now of off on once only or
other our ours out over own said same says she should so some such than that the their theirs them then there these
they this those through to too under until up very was we were what when where which while who whom why will with
would you your yours""".split())


def shingles(text):
    """newsd's shingles: each content word, keyed by its letters in any order when it has no digit (newsd's
    `Fingerprint.wordKey`: "brigde" is "bridge", 2012 is not 2021), with its occurrence number."""
    words = [w if any(c.isnumeric() for c in w) else "".join(sorted(w))
             for w in re.findall(r"[^\W_]+", text.lower()) if len(w) > 1 and w not in STOP]
    seen, out = Counter(), []
    for word in words:
        seen[word] += 1
        out.append(f"{word}#{seen[word]}")
    return out


def score(predictions, family, order):
    """predictions: name -> duplicate_of name or None."""
    tp = fp = 0
    for name, target in predictions.items():
        if target is None:
            continue
        if family.get(target) == family[name]:
            tp += 1
        else:
            fp += 1
    families = len(set(family.values()))
    positives = len(family) - families
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives if positives else 1.0
    return precision, recall, tp, fp, positives - tp


def processing_order(directory, docs):
    """docs in newsd's own order (its ledger's sequence) when the run's ledger is there, else by received time
    and name. Two workers may claim files in one scan (one received time) and look them up in either order,
    and which member of a family comes first decides which pairs must match."""
    path = os.path.join(directory, "run", "state", "ledger.sqlite")
    if os.path.exists(path):
        import sqlite3
        connection = sqlite3.connect(path)
        sequence = {name: index for index, (name,) in enumerate(connection.execute("SELECT name FROM article ORDER BY seq"))}
        connection.close()
        if all(name in sequence for _, name, _, _ in docs):
            return sorted(docs, key=lambda doc: sequence[doc[1]])
    return sorted(docs)


def reachable(docs, family, threshold):
    """The members (not the first of their family, in docs' order) whose shingles overlap those of an earlier
    member by >= threshold: what any detector that verifies the exact overlap can find. Members of a family
    can differ by more than the threshold allows (two variants with 20 % of their words changed each)."""
    sets = {name: set(shingles(text)) for _, name, text, _ in docs}
    earlier, found = {}, set()
    for _, name, _, _ in docs:
        members = earlier.setdefault(family[name], [])
        mine = sets[name]
        if any(len(mine & sets[m]) / max(1, min(len(mine), len(sets[m]))) >= threshold for m in members):
            found.add(name)
        members.append(name)
    return found


def ceiling_in_random_orders(docs, family, threshold, trials=200):
    """reachable()'s recall in `trials` random orders (seeded): its mean, lowest and highest."""
    sets = {name: set(shingles(text)) for _, name, text, _ in docs}
    members = {}
    for _, name, _, _ in docs:
        members.setdefault(family[name], []).append(name)
    close = {(a, b) for names in members.values() for a in names for b in names
             if a != b and len(sets[a] & sets[b]) / max(1, min(len(sets[a]), len(sets[b]))) >= threshold}
    positives = len(docs) - len(members)
    names = [name for _, name, _, _ in docs]
    generator, recalls = random.Random(1), []
    for _ in range(trials):
        generator.shuffle(names)
        earlier, found = {}, 0
        for name in names:
            before = earlier.setdefault(family[name], [])
            found += any((name, other) in close for other in before)
            before.append(name)
        recalls.append(found / max(1, positives))
    return sum(recalls) / trials, min(recalls), max(recalls)


def datasketch_predictions(docs, threshold, measure):
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(threshold=threshold, num_perm=128, params=(32, 4))
    kept = {}
    predictions = {}
    first_by_id = {}
    for index, (name, text, content_id) in enumerate(docs):
        items = shingles(text)
        if not items:
            predictions[name] = None
            continue
        minhash = MinHash(num_perm=128, seed=1)
        minhash.update_batch([s.encode("utf-8") for s in items])
        best = None
        if content_id in first_by_id:                      # the same bytes: an exact copy
            predictions[name] = first_by_id[content_id]
            continue
        first_by_id[content_id] = name
        for candidate in lsh.query(minhash):
            other_index, other_hash, other_size = kept[candidate]
            jaccard = minhash.jaccard(other_hash)
            if measure == "jaccard":
                similarity = jaccard
            else:
                similarity = min(1.0, jaccard / (1 + jaccard) * (len(items) + other_size) / max(1, min(len(items), other_size)))
            if similarity >= threshold and (best is None or other_index < best[0]):
                best = (other_index, candidate)
        predictions[name] = best[1] if best else None
        lsh.insert(name, minhash)
        kept[name] = (index, minhash, len(items))
    return predictions


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir")
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()

    family = {}
    edits = {}
    for line in open(os.path.join(args.dir, "truth.tsv")).read().splitlines()[1:]:
        name, fam, kind, label = line.split("\t")
        family[name] = int(fam)
        edits[name] = label if kind == "variant" else "original"

    docs, newsd = [], {}
    for path in glob.glob(os.path.join(args.dir, "run", "outbox", "*.json")):
        document = json.load(open(path, encoding="utf-8"))
        name = document["source"]["name"]
        duplicate = document.get("duplicate_of")
        newsd[name] = duplicate["name"] if duplicate else None
        docs.append((document["source"]["received"], name, document["text"], document["id"]))
    missing = set(family) - set(newsd)
    if missing:
        print(f"warning: {len(missing)} inputs have no outbox document (failed?)")
        for name in missing:
            family.pop(name)
    docs = processing_order(args.dir, docs)
    order = [name for _, name, _, _ in docs]

    p, r, tp, fp, fn = score(newsd, family, order)
    print(f"newsd       threshold {args.threshold}: precision {p:.3f} recall {r:.3f} (TP {tp}, FP {fp}, FN {fn})")
    found = reachable(docs, family, args.threshold)
    positives = len(family) - len(set(family.values()))
    hits = sum(1 for name in found if newsd[name] is not None and family.get(newsd[name]) == family[name])
    print(f"ceiling     threshold {args.threshold}: {len(found)} of {positives} members overlap an earlier member of "
          f"their family by >= {args.threshold} (recall {len(found) / max(1, positives):.3f} at most in this order); "
          f"newsd found {hits} of them")
    mean, lowest, highest = ceiling_in_random_orders(docs, family, args.threshold)
    print(f"            in 200 random orders: recall {mean:.3f} at most on average ({lowest:.3f} to {highest:.3f})")
    misses, firsts = Counter(), set()
    for name in order:
        if family[name] not in firsts:
            firsts.add(family[name])
            continue
        target = newsd[name]
        if target is None or family.get(target) != family[name]:
            misses[edits[name].split("=")[0] if edits[name] == "original" else "+".join(sorted(re.sub(r"=.*", "", e) for e in edits[name].split("+")))] += 1
    if misses:
        print("  missed, by the edits of the missed file:", dict(misses.most_common(8)))
    try:
        import datasketch  # noqa: F401
    except ImportError:
        print("datasketch not installed (pip install datasketch): comparison skipped")
        return
    texts = [(name, text, content_id) for _, name, text, content_id in docs]
    for measure in ["jaccard", "overlap"]:
        p, r, tp, fp, fn = score(datasketch_predictions(texts, args.threshold, measure), family, order)
        print(f"datasketch  threshold {args.threshold}, {measure:8}: precision {p:.3f} recall {r:.3f} (TP {tp}, FP {fp}, FN {fn})")


if __name__ == "__main__":
    main()
