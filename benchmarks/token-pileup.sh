#!/usr/bin/env bash
# Peak memory and CPU of the shipped Pitchpoint suite against a server that issues a fresh 800 KB refresh
# token in every answer (benchmarks/token-pileup-server.py). Not part of swift test.
#
#   benchmarks/token-pileup.sh [CONFORM]     # TOKEN_BYTES=800000 REPEAT=1 MEMORY_LIMIT_KIB=8000000
#
# Every issued token is a secret that conform masks in everything it writes. Before the per-secret cap
# (docs/security.md), each one was kept whole and every output compiled the masker again over all of them:
# 6 GB and 45 s for one run of the suite. The run is made with --har too, which keeps every answer's secrets.
# Then SUITES (80) copies of the suite in one run, each against its embedded mock: their CPU should be about
# SUITES times one suite's, where every suite's outputs used to compile the masker over all earlier secrets.
# CONFORM is the binary to measure (default: the release build of benchmarks/build-release.sh). The run is
# held under `ulimit -v MEMORY_LIMIT_KIB` so that an unbounded build cannot take the machine with it.
# Target (exit 1 when missed): the run ends with its reports (exit 0 or 1) within 256 MiB of peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends time
fi
conform=${1:-$(benchmarks/build-release.sh)}
repeat=${REPEAT:-1}
limit_kib=${MEMORY_LIMIT_KIB:-8000000}
budget_mib=${BUDGET_MIB:-256}
export TOKEN_BYTES=${TOKEN_BYTES:-800000}
work=$(mktemp -d)
python3 benchmarks/token-pileup-server.py >"$work/server.txt" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/server.txt" ] && break; sleep 0.1; done
base=$(head -n 1 "$work/server.txt")

status=0
(
    ulimit -v "$limit_kib"
    PITCHPOINT_REFRESH_TOKEN=AMf-initial-0123456789 PITCHPOINT_USERNAME=user@example.com PITCHPOINT_PASSWORD=pw-0123456789 \
        /usr/bin/time -v -o "$work/time.txt" "$conform" run suites/pitchpoint.json --base-url "$base" \
        --repeat "$repeat" --junit "$work/report.xml" --har "$work/run.har" >"$work/out.txt" 2>&1
) || status=$?
peak_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
user=$(awk -F': ' '/User time/ { print $2 }' "$work/time.txt")
system=$(awk -F': ' '/System time/ { print $2 }' "$work/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time.txt")
requests=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["log"]["entries"]))' "$work/run.har" 2>/dev/null || echo "no HAR")
leaked=$( (grep -c "0123456789abcdefghijklmnopqrstuvwxyz" "$work/out.txt" "$work/report.xml" "$work/run.har" 2>/dev/null || true) | awk -F: '{ s += $2 } END { print s + 0 }')
printf 'token bytes %s, repeat %s: exit %s, peak %.1f MiB, CPU %s s user + %s s system, wall %s, HAR entries %s, lines showing a token %s\n' \
    "$TOKEN_BYTES" "$repeat" "$status" "$(awk -v k="${peak_kib:-0}" 'BEGIN { print k / 1024 }')" "$user" "$system" "$wall" "$requests" "$leaked"

# Many suites: SUITES copies of the Pitchpoint suite (named apart), each against its embedded mock, in one run.
suites=${SUITES:-80}
mkdir -p "$work/suites"
cp suites/conform-suite.schema.json "$work/suites/"
for n in $(seq "$suites"); do
    sed "s/\"name\": \"pitchpoint\",/\"name\": \"pitchpoint-$n\",/" suites/pitchpoint.json >"$work/suites/p$n.json"
done
many_status=0
/usr/bin/time -v -o "$work/many.txt" "$conform" run "$work"/suites/p*.json --junit "$work/many.xml" \
    >"$work/many-out.txt" 2>&1 || many_status=$?
many_peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/many.txt")
many_user=$(awk -F': ' '/User time/ { print $2 }' "$work/many.txt")
many_system=$(awk -F': ' '/System time/ { print $2 }' "$work/many.txt")
printf '%s suites against their embedded mocks: exit %s, peak %.1f MiB, CPU %s s user + %s s system\n' \
    "$suites" "$many_status" "$(awk -v k="${many_peak:-0}" 'BEGIN { print k / 1024 }')" "$many_user" "$many_system"

if [ "$status" -gt 1 ] || [ ! -s "$work/report.xml" ]; then
    echo "the run did not end with its reports" >&2
    tail -n 5 "$work/out.txt" >&2
    exit 1
fi
if [ "${peak_kib:-0}" -gt $((budget_mib * 1024)) ]; then
    echo "peak memory over the budget of $budget_mib MiB" >&2
    exit 1
fi
if [ "$leaked" -ne 0 ]; then
    echo "an issued token shows in the outputs" >&2
    exit 1
fi
