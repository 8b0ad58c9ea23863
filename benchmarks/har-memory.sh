#!/usr/bin/env bash
# Peak memory of a --har run whose answers are large. Not part of swift test.
#
#   benchmarks/har-memory.sh              # REQUESTS=10000 BODY_BYTES=60000 CONCURRENCY=8
#   CONFORM=path/to/conform benchmarks/har-memory.sh   # measure another build (the one before a change)
#
# A Python server (benchmarks/large-body-server.py) answers every request with one JSON body of BODY_BYTES.
# conform sends the one case of benchmarks/har-large-body.json REQUESTS times, first without --har, then
# with it, each under GNU time; the archive keeps every exchange up to its cap of 10,000 (about 600 MB of
# bodies at the defaults). The figure is the maximum resident set size. Target (exit 1 when missed): the
# run with --har peaks at most HAR_BUDGET_MIB (64) above the run without, and its archive holds every entry.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-10000}
CONCURRENCY=${CONCURRENCY:-8}
HAR_BUDGET_MIB=${HAR_BUDGET_MIB:-64}
export BODY_BYTES=${BODY_BYTES:-60000}

if [ ! -x /usr/bin/time ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends time
fi
conform=${CONFORM:-$(benchmarks/build-release.sh)}
work=$(mktemp -d)
python3 benchmarks/large-body-server.py >"$work/server.txt" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/server.txt" ] && break; sleep 0.1; done
base=$(head -n 1 "$work/server.txt")

# Runs conform under GNU time; prints "peak_kib user_s system_s wall_s exit".
measure() {
    local status=0
    /usr/bin/time -f "%M %U %S %e" -o "$work/time.txt" "$conform" run benchmarks/har-large-body.json \
        --base-url "$base" --repeat "$REQUESTS" --concurrency "$CONCURRENCY" --max-case-time 3600 --junit "$work/report.xml" "$@" \
        >"$work/out.txt" 2>&1 || status=$?
    # GNU time puts "Command exited with non-zero status N" first when conform fails: the figures are last.
    echo "$(tail -n 1 "$work/time.txt") $status"
}

read -r plain_kib plain_user plain_system plain_wall plain_status < <(measure)
read -r har_kib har_user har_system har_wall har_status < <(measure --har "$work/run.har")
entries=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["log"]["entries"]))' "$work/run.har" 2>/dev/null || echo 0)
har_bytes=$(stat -c %s "$work/run.har" 2>/dev/null || echo 0)

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
printf '%-34s %12s %8s %8s %8s %s\n' run "peak MiB" "user s" "sys s" "wall s" exit
printf '%-34s %12s %8s %8s %8s %s\n' "without --har" "$(mib "$plain_kib")" "$plain_user" "$plain_system" "$plain_wall" "$plain_status"
printf '%-34s %12s %8s %8s %8s %s\n' "with --har" "$(mib "$har_kib")" "$har_user" "$har_system" "$har_wall" "$har_status"
echo "archive: $entries entries, $(mib $((har_bytes / 1024))) MiB ($REQUESTS requests of $BODY_BYTES bytes)"

expected=$((REQUESTS < 10000 ? REQUESTS : 10000))
if [ "$plain_status" -ne 0 ] || [ "$har_status" -ne 0 ] || [ "$entries" -ne "$expected" ]; then
    echo "a run failed or the archive does not hold $expected entries" >&2
    exit 1
fi
if [ $((har_kib - plain_kib)) -gt $((HAR_BUDGET_MIB * 1024)) ]; then
    echo "--har adds $(mib $((har_kib - plain_kib))) MiB, over the budget of $HAR_BUDGET_MIB MiB" >&2
    exit 1
fi
