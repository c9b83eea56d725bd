#!/usr/bin/env python3
"""Builds a near-duplicate test set for newsd from the Wikinews corpus.

Every corpus article goes in once (its family's original). For a random share of them, 1-3 variants are
added, each made with 1-3 of these edits, as republished news is:
  boilerplate   a byline, "Advertisement" lines between paragraphs, a copyright/subscribe footer
  reorder       paragraphs shuffled (the title stays first)
  words         1-20 % of the words changed: replaced by another corpus word, misspelt, or dropped
  truncate      the ending cut (the last 5-30 % of the words)
  style         straight/curly quotes swapped, doubled spaces, CRLF line ends, extra blank lines
The true negatives are the corpus itself: 291 different articles, many on one topic (COVID-19, elections,
storms, sport); generate.py prints how many pairs of originals share a lot of their vocabulary.

Names are random (doc-<hex>.txt), so a variant is as likely as its original to be processed first.
Writes OUT/inbox/*.txt and OUT/truth.tsv (name, family, kind, edits). Deterministic for a given --seed.

  python3 scripts/neardup/generate.py /tmp/neardup --seed 7
"""
import argparse
import glob
import os
import random
import re
import sys

BYLINES = ["By Jane Smith, Staff Reporter", "By Our Correspondent", "From wire reports", "By AP Staff",
           "Reuters — Updated 14:32 GMT", "By Maria Lopez | Published 3 hours ago"]
FOOTERS = ["Copyright 2020 Example News. All rights reserved.",
           "Subscribe to our newsletter for the latest headlines.",
           "This article was produced with the help of wire services. Share this story: Facebook Twitter Email",
           "Follow us on social media for more updates. Related: Top stories of the day"]


def words_of(text):
    return re.findall(r"\S+", text)


def boilerplate(paragraphs, rng, vocabulary):
    out = [rng.choice(BYLINES)] + []
    for index, paragraph in enumerate(paragraphs):
        out.append(paragraph)
        if index < len(paragraphs) - 1 and rng.random() < 0.3:
            out.append("Advertisement")
    out.append(rng.choice(FOOTERS))
    return out


def reorder(paragraphs, rng, vocabulary):
    body = paragraphs[1:]
    rng.shuffle(body)
    return paragraphs[:1] + body


def change_words(paragraphs, rng, vocabulary):
    rate = rng.uniform(0.01, 0.20)
    out = []
    for paragraph in paragraphs:
        tokens = paragraph.split(" ")
        changed = []
        for token in tokens:
            if rng.random() >= rate:
                changed.append(token)
                continue
            action = rng.random()
            if action < 0.5:
                changed.append(rng.choice(vocabulary))           # another word
            elif action < 0.8 and len(token) > 3:                # a typo: two letters swapped
                position = rng.randrange(len(token) - 1)
                changed.append(token[:position] + token[position + 1] + token[position] + token[position + 2:])
            else:
                pass                                             # dropped
        out.append(" ".join(changed))
    return out, rate


def truncate(paragraphs, rng, vocabulary):
    total = sum(len(p.split()) for p in paragraphs)
    keep = int(total * (1 - rng.uniform(0.05, 0.30)))
    out, count = [], 0
    for paragraph in paragraphs:
        tokens = paragraph.split()
        if count + len(tokens) <= keep:
            out.append(paragraph)
            count += len(tokens)
        else:
            rest = keep - count
            if rest > 0:
                out.append(" ".join(tokens[:rest]))
            break
    return out


def style(text, rng):
    if rng.random() < 0.5:
        text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")
    else:
        text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    if rng.random() < 0.5:
        text = text.replace(" ", "  ")
    if rng.random() < 0.5:
        text = text.replace("\n", "\n\n")
    if rng.random() < 0.5:
        text = text.replace("\n", "\r\n")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../../shared/corpus/wikinews-2019-2020"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--share", type=float, default=0.6, help="share of originals that get variants")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    paths = sorted(glob.glob(os.path.join(args.corpus, "*.txt")))
    if not paths:
        sys.exit(f"no articles in {args.corpus}")
    articles = [open(p, encoding="utf-8").read() for p in paths]
    vocabulary = sorted({w for a in articles for w in re.findall(r"[A-Za-z]{4,}", a)})

    inbox = os.path.join(args.out, "inbox")
    os.makedirs(inbox, exist_ok=True)
    used = set()

    def fresh_name():
        while True:
            name = f"doc-{rng.getrandbits(32):08x}.txt"
            if name not in used:
                used.add(name)
                return name

    rows = []
    variant_count = 0
    for family, (path, text) in enumerate(zip(paths, articles)):
        name = fresh_name()
        open(os.path.join(inbox, name), "w", encoding="utf-8", newline="").write(text)
        rows.append((name, family, "original", os.path.basename(path)))
        if rng.random() >= args.share:
            continue
        paragraphs = [p for p in text.split("\n") if p.strip()]
        for _ in range(rng.randint(1, 3)):
            edits = rng.sample(["boilerplate", "reorder", "words", "truncate", "style"], rng.randint(1, 3))
            current = list(paragraphs)
            labels = []
            # Content edits first, so boilerplate is not itself truncated or misspelt.
            for edit in ["words", "truncate", "reorder", "boilerplate"]:
                if edit not in edits:
                    continue
                if edit == "words":
                    current, rate = change_words(current, rng, vocabulary)
                    labels.append(f"words={rate:.2f}")
                elif edit == "truncate":
                    current = truncate(current, rng, vocabulary)
                    labels.append("truncate")
                elif edit == "reorder":
                    current = reorder(current, rng, vocabulary)
                    labels.append("reorder")
                else:
                    current = boilerplate(current, rng, vocabulary)
                    labels.append("boilerplate")
            variant = "\n".join(current) + "\n"
            if "style" in edits:
                variant = style(variant, rng)
                labels.append("style")
            name = fresh_name()
            open(os.path.join(inbox, name), "w", encoding="utf-8", newline="").write(variant)
            rows.append((name, family, "variant", "+".join(labels)))
            variant_count += 1

    with open(os.path.join(args.out, "truth.tsv"), "w") as out:
        out.write("name\tfamily\tkind\tedits\n")
        for row in rows:
            out.write("\t".join(map(str, row)) + "\n")

    # How hard are the negatives? Pairs of originals sharing many content words.
    sets = [set(re.findall(r"[a-z]{4,}", a.lower())) for a in articles]
    close = sum(1 for i in range(len(sets)) for j in range(i + 1, len(sets))
                if len(sets[i] & sets[j]) / max(1, min(len(sets[i]), len(sets[j]))) >= 0.3)
    print(f"{len(paths)} originals, {variant_count} variants, {len(rows)} files in {inbox}; "
          f"{close} pairs of different articles share >= 30 % of their words (same-topic negatives)")


if __name__ == "__main__":
    main()
