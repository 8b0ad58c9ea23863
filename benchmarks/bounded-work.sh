#!/usr/bin/env bash
# CPU time of the work that used to have no bound, each case once. Not part of swift test.
#
#   benchmarks/bounded-work.sh [CONFORM]
#
# CONFORM is the binary to measure (default: the release build of benchmarks/build-release.sh), so that the
# figures of an older build can be taken the same way. benchmarks/bounded-work.py writes the inputs:
#
# - costly pattern: `conform run` against a loopback server whose answer holds a 1,000,000-character field,
#   checked by a 9,800-state pattern (a field rule, a JSON Schema `pattern` and `patternProperties`), with
#   --timeout 5 --max-time 20 --max-case-time 5;
# - block bomb: `conform lint` of 16 blocks that each use the next four times;
# - $ref chain: `conform lint` of a suite whose JSON Schema is a chain of 100,000 `$ref`s (3.5 MB).
#
# Each line: user + system CPU seconds and wall seconds (GNU time), and the exit status. A case that has
# not ended after LIMIT seconds (default 300) is stopped and shown as such.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends time
fi
conform=${1:-$(benchmarks/build-release.sh)}
limit=${LIMIT:-300}
work=$(mktemp -d)
python3 benchmarks/bounded-work.py write "$work"
python3 benchmarks/bounded-work.py serve >"$work/server.txt" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/server.txt" ] && break; sleep 0.1; done
base=$(head -n 1 "$work/server.txt")

measure() {
    local name=$1
    shift
    local status=0
    /usr/bin/time -f "%U %S %e" -o "$work/time.txt" timeout "$limit" "$@" >"$work/out.txt" 2>&1 || status=$?
    read -r user system wall < <(tail -n 1 "$work/time.txt")
    local shown=$status
    [ "$status" -eq 124 ] && shown="stopped after ${limit} s"
    printf '%-16s %9.2f %9.2f %s\n' "$name" "$(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}')" "$wall" "$shown"
}

printf '%-16s %9s %9s %s\n' case "cpu s" "wall s" "exit"
measure "costly pattern" "$conform" run "$work/costly-pattern.json" --base-url "$base" --junit "$work/report.xml" \
    --timeout 5 --max-time 20 --max-case-time 5
if [ -s "$work/report.xml" ] && grep -q "pattern too costly for this value" "$work/report.xml"; then
    echo "  the report says: pattern too costly for this value"
fi
measure "block bomb" "$conform" lint "$work/block-bomb.json"
measure "\$ref chain" "$conform" lint "$work/ref-chain.json"
