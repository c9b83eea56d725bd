"""Run `newsd pipe` as the mapper of a PySpark job, without the silent data loss of RDD.pipe.

PySpark's RDD.pipe ignores a mapper that exits non-zero or prints fewer lines than it read, hangs when
the upstream read fails, and starts the mapper with an empty environment. `analyse_partition` instead:

- starts `newsd pipe` in its own process group, with a real environment;
- feeds the partition's lines from a separate thread (so a slow reader never deadlocks the writer);
- reads exactly one output line per input line and checks that every line carries the input's line
  number in order;
- kills the whole process group on a timeout;
- fails the partition (raises) on a non-zero exit status, a missing or extra line, or a timeout,
  so Spark retries the task or fails the job: rows are never lost silently.

The binary must be a static build (`swift build -c release --static-swift-stdlib`): executors have
no Swift toolchain. Ship it with `--files /path/to/newsd` and find it with `SparkFiles.get("newsd")`.

Usage (see README.md):
    spark-submit --files .build/release/newsd integrations/spark/newsd_spark.py INPUT_DIR OUTPUT_DIR
"""

import json
import os
import signal
import subprocess
import sys
import threading

DEFAULT_TIMEOUT = float(os.environ.get("NEWSD_PARTITION_TIMEOUT", "3600"))


class PartitionFailed(RuntimeError):
    """The mapper did not produce exactly one valid output line per input line."""


def _binary():
    explicit = os.environ.get("NEWSD_BINARY")
    if explicit:
        return explicit
    try:
        from pyspark import SparkFiles

        return SparkFiles.get("newsd")
    except Exception:  # not inside Spark: a local run of the helper
        return "newsd"


def analyse_partition(lines, binary=None, workers=1, timeout=DEFAULT_TIMEOUT, extra_args=()):
    """Yield newsd's output lines (str) for an iterator of JSON Lines input strings, one for one."""
    binary = binary or _binary()
    command = [binary, "pipe", "--workers", str(workers), *extra_args]
    env = dict(os.environ)
    env.setdefault("NEWSD_LOG_TARGET", "stderr")
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, killed as a whole on timeout
    )
    sent = [0]
    feed_error = []

    def feed():
        try:
            for line in lines:
                if isinstance(line, bytes):
                    line = line.decode("utf-8", "surrogateescape")
                line = line.rstrip("\r\n")
                process.stdin.write(line.encode("utf-8", "surrogateescape") + b"\n")
                sent[0] += 1
        except BrokenPipeError as error:
            feed_error.append(error)
        except BaseException as error:  # the upstream read failed: stop the mapper, fail the task
            feed_error.append(error)
            _kill(process)
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass

    stderr_chunks = []
    stderr_reader = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True)
    stderr_reader.start()
    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    timer = threading.Timer(timeout, _kill, args=(process,))
    timer.daemon = True
    timer.start()
    received = 0
    try:
        for raw in process.stdout:
            received += 1
            text = raw.decode("utf-8")
            try:
                number = json.loads(text)["line"]
            except (ValueError, KeyError, TypeError) as error:
                raise PartitionFailed(f"newsd pipe printed an invalid line {received}: {error}") from None
            if number != received:
                raise PartitionFailed(f"newsd pipe printed line {number} where line {received} was due")
            yield text.rstrip("\n")
        status = process.wait()
        feeder.join()
    finally:
        timer.cancel()
        if process.poll() is None:
            _kill(process)
            process.wait()
    stderr_reader.join(timeout=5)
    detail = b"".join(c for c in stderr_chunks if c).decode("utf-8", "replace")[-2000:]
    if feed_error and not isinstance(feed_error[0], BrokenPipeError):
        raise PartitionFailed(f"reading the partition failed: {feed_error[0]!r}")
    if status != 0:
        raise PartitionFailed(f"newsd pipe exited with status {status}: {detail}")
    if received != sent[0]:
        raise PartitionFailed(f"newsd pipe printed {received} lines for {sent[0]} input lines: {detail}")


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main(argv):
    if len(argv) < 3:
        print("usage: newsd_spark.py INPUT_DIR OUTPUT_DIR [WORKERS_PER_TASK]", file=sys.stderr)
        return 2
    from pyspark.sql import SparkSession

    input_dir, output_dir = argv[1], argv[2]
    workers = int(argv[3]) if len(argv) > 3 else 1
    spark = SparkSession.builder.appName("newsd").getOrCreate()
    lines = spark.sparkContext.textFile(input_dir)
    results = lines.mapPartitions(lambda part: analyse_partition(part, workers=workers))
    results.saveAsTextFile(output_dir)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
