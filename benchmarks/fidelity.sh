#!/usr/bin/env bash
# Latency fidelity: against the standalone Pitchpoint mock holding every answer DELAY_MS, conform's
# reported p50 may exceed the delay by at most TOLERANCE_MS (1 ms: conform reports the endpoint's time,
# not its own). Sequential samples, release build, on loopback. Not part of swift test: a timed claim
# belongs on a quiet machine, not among tests running in parallel.
#
#   benchmarks/fidelity.sh         # DELAY_MS=100 SAMPLES=100 TOLERANCE_MS=1 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DELAY_MS=${DELAY_MS:-100}
SAMPLES=${SAMPLES:-100}
TOLERANCE_MS=${TOLERANCE_MS:-1}

conform=$(benchmarks/build-release.sh)
work=$(mktemp -d)
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$conform" mock pitchpoint --port 0 --delay-ms "$DELAY_MS" >"$work/mock.env" &
mock_pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$work/mock.env")" -ge 5 ] && break; sleep 0.1; done
base=$(head -n 1 "$work/mock.env")
# shellcheck disable=SC2046
export $(tail -n +2 "$work/mock.env" | xargs)

"$conform" run benchmarks/pitchpoint-refresh.json --base-url "$base" --repeat "$SAMPLES" --concurrency 1 \
    --max-case-time 600 --junit "$work/fidelity.xml" >"$work/run.txt" || {
    cat "$work/run.txt"
    echo "fidelity: conform's run failed" >&2
    exit 1
}
p50=$(grep -o 'latency.p50_ms" value="[0-9.]*' "$work/fidelity.xml" | sed 's/.*value="//')
p95=$(grep -o 'latency.p95_ms" value="[0-9.]*' "$work/fidelity.xml" | sed 's/.*value="//')
overhead=$(awk -v p="$p50" -v d="$DELAY_MS" 'BEGIN {printf "%.2f", p - d}')
echo "fidelity: mock delay ${DELAY_MS} ms, ${SAMPLES} samples: p50 ${p50} ms, p95 ${p95} ms; p50 overhead ${overhead} ms (target <= ${TOLERANCE_MS} ms)"
awk -v o="$overhead" -v t="$TOLERANCE_MS" 'BEGIN {exit !(o >= 0 && o <= t)}' || {
    echo "fidelity: the reported p50 is not within ${TOLERANCE_MS} ms of the endpoint's ${DELAY_MS} ms" >&2
    exit 1
}
