#!/usr/bin/env bash
# conform beside wrk, on loopback, against conform's own standalone Pitchpoint mock. Not part of swift test.
#
#   benchmarks/run.sh              # REQUESTS=20000 CONNECTIONS=32 WRK_DURATION=10s by default
#
# Measures: the mock's rate under wrk; conform's rate in --repeat/--concurrency mode with every check on
# (median of RUNS runs);
# conform's overhead per request (its mean reported latency minus wrk's mean latency); conform's peak
# memory (maximum resident set size). Results go to benchmarks/results/ and standard output.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-20000}
CONNECTIONS=${CONNECTIONS:-32}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}
RUNS=${RUNS:-3}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

conform=$(benchmarks/build-release.sh)
results=benchmarks/results
mkdir -p "$results"
work=$(mktemp -d)
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$conform" mock pitchpoint --port 0 >"$work/mock.env" &
mock_pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$work/mock.env")" -ge 5 ] && break; sleep 0.1; done
base=$(head -n 1 "$work/mock.env")
# shellcheck disable=SC2046
export $(tail -n +2 "$work/mock.env" | xargs)
url="$base/user-management-services-ws/oauth2/002/refreshIdToken"

cat >"$work/refresh.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"refresh_token":"$PITCHPOINT_REFRESH_TOKEN"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
LUA

# Warm both sides once, then measure.
wrk -t1 -c"$CONNECTIONS" -d2s -s "$work/refresh.lua" "$url" >/dev/null
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$WRK_DURATION" --latency -s "$work/refresh.lua" "$url" >"$work/wrk.txt"
wrk_rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
wrk_mean=$(awk '/^    Latency/ {print $2}' "$work/wrk.txt")
wrk_mean_ms=$(echo "$wrk_mean" | awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1; next} /s$/ {sub("s",""); print $1*1000}')

# conform runs RUNS times (a run lasts 2-3 s, wrk's 10 s): the median rate and latency, the highest peak.
rates=()
means=()
p50s=()
peaks=()
walls=()
for run in $(seq "$RUNS"); do
    /usr/bin/time -v "$conform" run benchmarks/pitchpoint-refresh.json --base-url "$base" \
        --repeat "$REQUESTS" --concurrency "$CONNECTIONS" --junit "$work/conform.xml" >"$work/conform.txt" 2>"$work/time.txt" || {
        cat "$work/conform.txt" "$work/time.txt"
        echo "benchmark: conform's run failed" >&2
        exit 1
    }
    rates+=("$(grep -o '[0-9]*/s)' "$work/conform.txt" | head -n 1 | tr -d '/s)')")
    means+=("$(grep -o 'latency.mean_ms" value="[0-9.]*' "$work/conform.xml" | sed 's/.*value="//')")
    p50s+=("$(grep -o 'latency.p50_ms" value="[0-9.]*' "$work/conform.xml" | sed 's/.*value="//')")
    peaks+=("$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")")
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
conform_rate=$(median "${rates[@]}")
conform_mean_ms=$(median "${means[@]}")
conform_p50_ms=$(median "${p50s[@]}")
peak_kib=$(printf '%s\n' "${peaks[@]}" | sort -g | tail -n 1)
wall=$(printf '%s ' "${walls[@]}")

share=$(awk -v c="$conform_rate" -v w="$wrk_rate" 'BEGIN {printf "%.0f", 100 * c / w}')
overhead=$(awk -v c="$conform_mean_ms" -v w="$wrk_mean_ms" 'BEGIN {printf "%.3f", c - w}')
peak_mib=$(awk -v k="$peak_kib" 'BEGIN {printf "%.1f", k / 1024}')

report="$results/latest.md"
{
    echo "| Figure | Value |"
    echo "|---|---|"
    echo "| Machine | $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d) |"
    echo "| Mock's rate under wrk ($WRK_THREADS threads, $CONNECTIONS connections, $WRK_DURATION) | $wrk_rate requests/s, mean latency $wrk_mean |"
    echo "| conform's rate (--repeat $REQUESTS --concurrency $CONNECTIONS, every check on; median of $RUNS runs: ${rates[*]}) | $conform_rate requests/s ($share% of wrk's) |"
    echo "| conform's mean reported latency (p50), median of $RUNS runs | $conform_mean_ms ms ($conform_p50_ms ms) |"
    echo "| conform's overhead per request (conform's mean minus wrk's mean) | $overhead ms |"
    echo "| conform's peak memory (highest maximum resident set size of the runs) | $peak_mib MiB |"
    echo "| conform's wall time per run | $wall |"
} | tee "$report"
grep -E "PASS|FAIL|ERROR" "$work/conform.txt" | head -n 3

# The targets of benchmarks/README.md: at least 80% of wrk's rate, a peak below 32 MiB.
verdict=0
if [ "$share" -ge 80 ]; then
    echo "target met: conform's rate is $share% of wrk's (at least 80%)"
else
    echo "target missed: conform's rate is $share% of wrk's (at least 80%)"
    verdict=1
fi
if awk -v k="$peak_kib" 'BEGIN {exit !(k < 32 * 1024)}'; then
    echo "target met: conform's peak memory is $peak_mib MiB (below 32 MiB)"
else
    echo "target missed: conform's peak memory is $peak_mib MiB (below 32 MiB)"
    verdict=1
fi
exit "$verdict"
