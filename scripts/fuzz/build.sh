#!/usr/bin/env bash
# Builds the libFuzzer target for the Analysis module: Sources/Analysis/**/*.swift and Fuzz/AnalysisFuzzer.swift
# compiled as one module with `swiftc -sanitize=fuzzer,address` (and coverage for libFuzzer's cov/ft).
#
# Not a package target on purpose: the package's own `swift build`/`swift test` never see fuzzer flags, and the
# Analysis target imports nothing (not even Foundation), so plain swiftc is all it needs. One module rather than
# `import Analysis` so the fuzzer can use the internal JSON parser to check each document it produces.
#
#   scripts/fuzz/build.sh            → .build-fuzz/AnalysisFuzzer
#   SANITIZE=fuzzer scripts/fuzz/build.sh   (without ASan: faster, catches traps only)
set -euo pipefail
cd "$(dirname "$0")/../.."
SWIFTC=${SWIFTC:-swiftc}
SANITIZE=${SANITIZE:-fuzzer,address}
OUT=${OUT:-.build-fuzz}
mkdir -p "$OUT"
source scripts/fuzz/sources.sh
mapfile -t sources < <(find "${fuzzed_sources[@]}" -name '*.swift' | LC_ALL=C sort)
# -O: the fuzzer spends its time in the analysis, as the release daemon does. Integer overflow and bounds
# checks stay on (that is -O, not -Ounchecked), so they trap and libFuzzer reports them.
"$SWIFTC" -sanitize="$SANITIZE" -parse-as-library -O -g \
    -swift-version 6 -warnings-as-errors \
    -module-name AnalysisFuzzer \
    -module-cache-path "$OUT/module-cache" \
    "${sources[@]}" Fuzz/AnalysisFuzzer.swift \
    -o "$OUT/AnalysisFuzzer" \
    2> >(grep -v "Cannot export local symbol '__asan_" >&2)
# (gold warns once per ASan helper symbol that it cannot export it; harmless, and hundreds of lines.)
echo "built $OUT/AnalysisFuzzer"
