#!/usr/bin/env bash
# The README's reliability table from the scenarios' ROW lines
# (ROW|<scenario>|<inputs>|<lost>|<duplicated>|<partial>|<outcome>).
#
#   scripts/reliability/table.sh                          rows saved under var/reliability/ (check.txt files)
#   scripts/reliability/table.sh FILE…                    rows found in these saved outputs
#   scripts/reliability/table.sh --run chaos.sh faults.sh  runs the scripts (each output saved as
#                                                          var/reliability/<script>.out), then tabulates
# Exits non-zero when a scenario that was run failed, or when a row reports a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
SAVED=${SAVED:-var/reliability}
status=0
files=()
if [ "${1:-}" = --run ]; then
    shift
    mkdir -p "$SAVED"
    for script in "$@"; do
        name=$(basename "$script" .sh)
        path=$script
        [ -f "$path" ] || path=scripts/reliability/$script
        echo "running $path …" >&2
        bash "$path" >"$SAVED/$name.out" 2>&1 || { echo "$path failed (see $SAVED/$name.out)" >&2; status=1; }
        files+=("$SAVED/$name.out")
    done
elif [ $# -gt 0 ]; then
    files=("$@")
else
    while IFS= read -r file; do files+=("$file"); done < <(find "$SAVED" -name check.txt 2>/dev/null | sort)
fi
[ ${#files[@]} -gt 0 ] || { echo "no saved outputs under $SAVED; run the scenarios or pass --run" >&2; exit 2; }

echo "| scenario | inputs | lost | duplicated | partial | outcome |"
echo "|---|---:|---:|---:|---:|---|"
rows=0
while IFS='|' read -r _ scenario inputs lost duplicated partial outcome; do
    rows=$((rows + 1))
    echo "| $scenario | $inputs | $lost | $duplicated | $partial | $outcome |"
    if [ "$lost" != 0 ] || [ "$duplicated" != 0 ] || [ "$partial" != 0 ] || [[ "$outcome" == *FAIL* ]]; then status=1; fi
done < <(grep -h '^ROW|' "${files[@]}")
[ $rows -gt 0 ] || { echo "no ROW lines in ${files[*]}" >&2; exit 2; }
exit $status
