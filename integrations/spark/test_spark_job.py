"""Integration test of the Spark job (issue 6): newsd pipe as the mapper of a local[2] PySpark job.

Run by `make spark-test` (and by `make test` when NEWSD_SPARK_TEST=1). Needs Java 17 and pyspark
(`pip install pyspark`, about a minute and 2 GB of disk), and a static newsd build.

Checks, on 10,000 records built from ../shared/corpus plus bad lines:
- one output line per input line, every id exactly once, every line valid JSON;
- bad input lines come back as newsd/error@1 records, not lost;
- a mapper killed mid-partition fails the job (non-zero spark-submit, no _SUCCESS) instead of losing rows.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.environ.get("CORPUS", os.path.join(ROOT, "..", "shared", "corpus", "wikinews-2019-2020"))
BINARY = os.environ.get("NEWSD_BINARY", os.path.join(ROOT, ".build", "release", "newsd"))
RECORDS = int(os.environ.get("NEWSD_SPARK_RECORDS", "10000"))


def build_input(directory):
    articles = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(CORPUS, "*.txt")))]
    expected = {}
    os.makedirs(directory)
    files = [open(os.path.join(directory, f"part-{i}.jsonl"), "w", encoding="utf-8") for i in range(4)]
    for i in range(RECORDS):
        record_id = f"rec-{i:06d}"
        if i % 1000 == 17:
            line = "{not json " + record_id
            expected[f"line:{record_id}"] = "error"
        elif i % 1000 == 42:
            line = json.dumps({"id": record_id, "title": "no text"})
            expected[record_id] = "error"
        else:
            text = articles[i % len(articles)]
            line = json.dumps({"id": record_id, "text": text, "published": "2020-01-01"})
            expected[record_id] = "article"
        files[i % 4].write(line + "\n")
    for f in files:
        f.close()
    return expected


def spark_submit(input_dir, output_dir, binary):
    env = dict(os.environ)
    # The executors must run the shipped file (SparkFiles), not a path from this environment.
    env.pop("NEWSD_BINARY", None)
    spark_submit = shutil.which("spark-submit")
    if spark_submit is None:
        import pyspark

        spark_submit = os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit")
    command = [
        spark_submit, "--master", "local[2]", "--files", binary,
        "--conf", "spark.ui.enabled=false",
        os.path.join(HERE, "newsd_spark.py"), input_dir, output_dir,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True)


def read_output(output_dir):
    lines = []
    for path in sorted(glob.glob(os.path.join(output_dir, "part-*"))):
        with open(path, encoding="utf-8") as f:
            lines.extend(l for l in f.read().split("\n") if l)
    return lines


def main():
    assert os.access(BINARY, os.X_OK), f"build the static binary first: {BINARY}"
    work = tempfile.mkdtemp(prefix="newsd-spark-")
    failures = []
    try:
        expected = build_input(os.path.join(work, "input"))
        result = spark_submit(os.path.join(work, "input"), os.path.join(work, "output"), BINARY)
        if result.returncode != 0:
            failures.append(f"spark-submit failed: {result.stderr[-3000:]}")
        else:
            lines = read_output(os.path.join(work, "output"))
            for line in lines:
                json.loads(line)  # a corrupt line raises: the test fails
            if len(lines) != RECORDS:
                failures.append(f"{len(lines)} output lines for {RECORDS} input lines")
            ids = [json.loads(l).get("input_id") for l in lines]
            with_id = [i for i in ids if i is not None]
            if len(with_id) != len(set(with_id)):
                failures.append("an id appears more than once")
            missing = [k for k in expected if not k.startswith("line:") and k not in set(with_id)]
            if missing:
                failures.append(f"{len(missing)} ids missing, e.g. {missing[:3]}")
            errors = sum(1 for l in lines if json.loads(l)["schema"] == "newsd/error@1")
            want_errors = sum(1 for v in expected.values() if v == "error")
            if errors != want_errors:
                failures.append(f"{errors} error records, expected {want_errors}")

        # A mapper killed mid-partition must fail the job, not lose rows.
        killer = os.path.join(work, "newsd")
        with open(killer, "w") as f:
            f.write("#!/bin/sh\n"
                    f"\"{BINARY}\" \"$@\" | head -n 5\n"
                    "kill -9 $$\n")
        os.chmod(killer, 0o755)
        result = spark_submit(os.path.join(work, "input"), os.path.join(work, "killed"), killer)
        if result.returncode == 0 or os.path.exists(os.path.join(work, "killed", "_SUCCESS")):
            failures.append(f"a killed mapper did not fail the job (status {result.returncode}): {result.stderr[-1500:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print("FAIL:", failure)
    passed = 2 - min(2, len(failures))
    print(f"{passed} passed, {2 - passed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
