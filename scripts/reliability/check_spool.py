#!/usr/bin/env python3
"""Spool invariant checker for the reliability scenarios (issue 5).

Two subcommands:

  check_spool.py make STAGE N [--corpus DIR] [--poison-every K]
      Writes N input files into STAGE (to be renamed into an inbox) and STAGE/../manifest.tsv with one line
      per input: name, SHA-256 of its bytes, and the expected result (processed | failed). Every input has
      distinct bytes (a corpus article plus a "Copy i." line); every K-th one is poison that newsd must put
      in failed/ (alternately invalid UTF-8 and empty), so the failed/ path is under fire too.

  check_spool.py check SPOOL MANIFEST [--scenario NAME] [--note TEXT] [--ledger auto|yes|no] [--json FILE]
      Checks the drained spool against the manifest and prints what it found, then one line
          ROW|<scenario>|<inputs>|<lost>|<duplicated>|<partial>|<outcome>
      Exits 1 when any invariant fails:
        - every input has exactly one result: an outbox document (newsd/article@1) or an error document
          (newsd/error@1) with the original beside it in failed/, matched by source.name and id (SHA-256);
        - no input is misfiled (a good article in failed/, a poison file in the outbox);
        - every outbox document is whole, valid JSON with the right schema, id and source name;
        - no temporary file (dot-file) in outbox/ or failed/;
        - nothing left in inbox/ or work/;
        - each processed original is in archive/ exactly once (when archive/ holds anything);
        - the ledger (state/ledger.sqlite) has exactly one row per result: a processed row per outbox
          document with the same id, name and result_name, a failed row per failed original, no other rows,
          and the same duplicate_of id as the document.
"""
import argparse
import glob
import hashlib
import json
import os
import sqlite3
import sys


def make(args):
    stage = args.stage
    os.makedirs(stage, exist_ok=True)
    articles = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(args.corpus, "*.txt")))]
    if not articles:
        sys.exit(f"no corpus articles in {args.corpus}")
    manifest_path = args.manifest or os.path.join(os.path.dirname(os.path.abspath(stage)), "manifest.tsv")
    with open(manifest_path, "w") as manifest:
        for i in range(args.n):
            name = f"article-{i:06d}.txt"
            if args.poison_every and i % args.poison_every == args.poison_every - 1:
                # Alternate the two poison kinds: invalid UTF-8 and an empty file.
                data = b"" if (i // args.poison_every) % 2 else b"Bad bytes \xff\xfe here " + str(i).encode() + b"\n"
                expect = "failed"
            else:
                data = articles[i % len(articles)] + f"\nCopy {i}.\n".encode()
                expect = "processed"
            with open(os.path.join(stage, name), "wb") as f:
                f.write(data)
            manifest.write(f"{name}\t{hashlib.sha256(data).hexdigest()}\t{expect}\n")
    print(manifest_path)


def listdir(path):
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return []


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check(args):
    spool = args.spool
    problems = []

    def problem(text):
        problems.append(text)

    manifest = {}
    for line in open(args.manifest):
        name, digest, expect = line.rstrip("\n").split("\t")
        manifest[name] = (digest, expect)

    results = {name: [] for name in manifest}  # name -> [(kind, file)]
    partial = 0
    temporaries = []
    documents = {}  # outbox file name -> (id, source name, duplicate_of id)

    # Outbox: whole, valid documents; no temporaries.
    for entry in listdir(os.path.join(spool, "outbox")):
        path = os.path.join(spool, "outbox", entry)
        if entry.startswith("."):
            temporaries.append("outbox/" + entry)
            continue
        if not entry.endswith(".json"):
            problem(f"outbox holds a non-document: {entry}")
            continue
        try:
            with open(path, "rb") as f:
                document = json.loads(f.read())
            assert isinstance(document, dict), "not an object"
            assert document.get("schema") == "newsd/article@1", f"schema {document.get('schema')!r}"
            source = document["source"]
            name = source["name"]
            ident = document["id"]
            assert isinstance(document.get("text"), str), "no text"
            assert "pipeline" in document, "no pipeline (truncated?)"
        except Exception as error:  # noqa: BLE001 - any defect is a partial document
            partial += 1
            problem(f"outbox/{entry} is not a whole newsd/article@1 document: {error}")
            continue
        duplicate = document.get("duplicate_of")
        documents[entry] = (ident, name, duplicate.get("id") if isinstance(duplicate, dict) else None)
        if name not in results:
            problem(f"outbox/{entry} names an input that was never dropped: {name!r}")
            continue
        results[name].append(("processed", entry))
        if ident != manifest[name][0]:
            problem(f"outbox/{entry}: id {ident} is not the SHA-256 of {name} ({manifest[name][0]})")

    # failed/: error documents with their originals beside them.
    failed_entries = listdir(os.path.join(spool, "failed"))
    failed_set = set(failed_entries)
    failed_originals = {}  # original name in failed/ -> input name
    for entry in failed_entries:
        path = os.path.join(spool, "failed", entry)
        if entry.startswith("."):
            temporaries.append("failed/" + entry)
            continue
        if not entry.endswith(".error.json"):
            continue  # an original; checked from its error document
        original = entry[: -len(".error.json")]
        try:
            with open(path, "rb") as f:
                document = json.loads(f.read())
            assert document.get("schema") == "newsd/error@1", f"schema {document.get('schema')!r}"
            name = document["source"]["name"]
            code = document["error"]["code"]
        except Exception as error:  # noqa: BLE001
            partial += 1
            problem(f"failed/{entry} is not a whole newsd/error@1 document: {error}")
            continue
        if original not in failed_set:
            # An error document without its original: the original is still to come (in work/) or lost.
            problem(f"failed/{entry} ({code}) has no original beside it")
            continue
        failed_originals[original] = name
        if name not in results:
            problem(f"failed/{entry} names an input that was never dropped: {name!r}")
            continue
        results[name].append(("failed:" + code, entry))
        if sha256_file(os.path.join(spool, "failed", original)) != manifest[name][0]:
            problem(f"failed/{original} is not the bytes of {name}")
    for entry in failed_entries:
        if not entry.startswith(".") and not entry.endswith(".error.json") and entry not in failed_originals:
            problem(f"failed/{entry} is an original without an error document")

    lost = duplicated = misfiled = 0
    for name, found in sorted(results.items()):
        expect = manifest[name][1]
        if not found:
            lost += 1
            problem(f"lost: {name} has no result")
            continue
        if len(found) > 1:
            duplicated += len(found) - 1
            problem(f"duplicated: {name} has {len(found)} results: {found}")
        kinds = {kind.split(":")[0] for kind, _ in found}
        if kinds != {expect}:
            misfiled += 1
            problem(f"misfiled: {name} should be {expect}, is {found}")

    partial += len(temporaries)
    for entry in temporaries:
        problem(f"temporary file visible: {entry}")

    leftovers = [f"inbox/{e}" for e in listdir(os.path.join(spool, "inbox"))] + \
        [f"work/{e}" for e in listdir(os.path.join(spool, "work"))]
    for entry in leftovers:
        problem(f"left behind: {entry}")

    # archive/: each processed original once (skipped when originals are deleted, on_success=delete).
    archive = [e for e in listdir(os.path.join(spool, "archive")) if not e.startswith(".")]
    archived_twice = 0
    if archive:
        by_digest = {}
        for entry in archive:
            by_digest.setdefault(sha256_file(os.path.join(spool, "archive", entry)), []).append(entry)
        for name, (digest, expect) in manifest.items():
            copies = by_digest.get(digest, [])
            if expect == "processed" and any(k == "processed" for k, _ in results[name]) and len(copies) != 1:
                problem(f"archive holds {len(copies)} copies of {name}: {copies}")
                if len(copies) > 1:
                    archived_twice += 1

    # The ledger agrees with the documents.
    ledger_path = os.path.join(spool, "state", "ledger.sqlite")
    ledger_rows = None
    use_ledger = args.ledger == "yes" or (args.ledger == "auto" and os.path.exists(ledger_path))
    if args.ledger == "yes" and not os.path.exists(ledger_path):
        problem(f"no ledger at {ledger_path}")
        use_ledger = False
    if use_ledger:
        # Read-only through a URI; the daemon must be stopped (a WAL reader needs the -shm, which is fine).
        db = sqlite3.connect(f"file:{ledger_path}?mode=ro", uri=True)
        rows = db.execute(
            "SELECT id, name, result_name, outcome, error_code, duplicate_of_id FROM article").fetchall()
        db.close()
        ledger_rows = len(rows)
        processed_rows = {}
        failed_rows = {}
        for ident, name, result_name, outcome, error_code, duplicate_of in rows:
            table = processed_rows if outcome == "processed" else failed_rows
            if result_name in table:
                problem(f"ledger: two {outcome} rows for result {result_name!r}")
            table[result_name] = (ident, name, error_code, duplicate_of)
        for entry, (ident, name, duplicate_of) in documents.items():
            row = processed_rows.pop(entry, None)
            if row is None:
                problem(f"ledger: no processed row for outbox/{entry}")
                continue
            if row[0] != ident or row[1] != name:
                problem(f"ledger: row for outbox/{entry} says id={row[0]} name={row[1]!r}, document id={ident} name={name!r}")
            if row[3] != duplicate_of:
                problem(f"ledger: row for outbox/{entry} has duplicate_of {row[3]}, the document {duplicate_of}")
        for entry in processed_rows:
            problem(f"ledger: processed row for {entry!r} has no outbox document")
        for original in failed_originals:
            if failed_rows.pop(original, None) is None:
                problem(f"ledger: no failed row for failed/{original}")
        for entry in failed_rows:
            problem(f"ledger: failed row for {entry!r} has no original in failed/")

    for reason in args.fail:
        problem(f"scenario: {reason}")

    processed = sum(1 for found in results.values() if any(k == "processed" for k, _ in found))
    failed = sum(1 for found in results.values() if any(k.startswith("failed") for k, _ in found))
    ok = not problems
    summary = {
        "scenario": args.scenario, "inputs": len(manifest), "processed": processed, "failed": failed,
        "lost": lost, "duplicated": duplicated, "partial": partial, "misfiled": misfiled,
        "leftovers": len(leftovers), "ledger_rows": ledger_rows, "problems": len(problems), "ok": ok,
    }
    for text in problems[:50]:
        print("PROBLEM " + text)
    if len(problems) > 50:
        print(f"PROBLEM … and {len(problems) - 50} more")
    print("SUMMARY " + json.dumps(summary))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(summary, problem_list=problems), f, indent=1)
    if ok:
        outcome = f"all drained ({processed} outbox, {failed} failed), 0 misfiled"
        if use_ledger:
            outcome += ", ledger agrees"
    else:
        outcome = f"FAIL: {len(problems)} problems ({misfiled} misfiled, {len(leftovers)} left behind"
        outcome += "".join(f", {reason}" for reason in args.fail) + ")"
    if args.note:
        outcome += "; " + args.note
    print(f"ROW|{args.scenario}|{len(manifest)}|{lost}|{duplicated}|{partial}|{outcome}")
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make", help="write N inputs and a manifest")
    m.add_argument("stage")
    m.add_argument("n", type=int)
    here = os.path.dirname(os.path.abspath(__file__))
    m.add_argument("--corpus", default=os.path.join(here, "..", "..", "..", "shared", "corpus", "wikinews-2019-2020"))
    m.add_argument("--manifest", help="default: manifest.tsv beside STAGE")
    m.add_argument("--poison-every", type=int, default=50, help="every K-th input is poison (0: none)")
    c = sub.add_parser("check", help="check a drained spool against a manifest")
    c.add_argument("spool")
    c.add_argument("manifest")
    c.add_argument("--scenario", default="check")
    c.add_argument("--note", default="")
    c.add_argument("--ledger", choices=["auto", "yes", "no"], default="auto")
    c.add_argument("--json", help="also write the summary and problems here")
    c.add_argument("--fail", action="append", default=[],
                   help="a failure the scenario found itself (the daemon never paused, …): the check fails")
    args = parser.parse_args()
    if args.command == "make":
        make(args)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
