#!/usr/bin/env bash
# CPU time conform spends on 1 MiB hostile response bodies, one shape at a time. Not part of swift test.
#
#   benchmarks/hostile-bodies.sh
#
# A Python server (benchmarks/hostile-server.py) answers every request with a 1 MiB body of one shape:
# repeated '<Token ', '"access_token":"', '\u00', '&#', '%', the start of a secret, '[' or '<a>' a
# million deep, an unterminated string, random bytes. conform reads each body as JSON (a model, field
# rules) and as XML (an XSD), finds secret fields by name in it, and masks a secret in the diagnostic
# and the report. The figure is user + system CPU seconds of the whole run (two requests, one process
# start), measured by GNU time; the target is well under a second per body.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends time
fi
conform=$(benchmarks/build-release.sh)
work=$(mktemp -d)
python3 benchmarks/hostile-server.py >"$work/server.txt" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/server.txt" ] && break; sleep 0.1; done
base=$(head -n 1 "$work/server.txt")

printf '%-22s %9s %9s %s\n' shape "cpu s" "wall s" "exit"
for shape in $(python3 benchmarks/hostile-server.py --shapes); do
    status=0
    HOSTILE_SHAPE=$shape /usr/bin/time -f "%U %S %e" -o "$work/time.txt" \
        "$conform" run benchmarks/hostile-bodies.json --base-url "$base" --junit "$work/report.xml" \
        >"$work/out.txt" 2>&1 || status=$?
    # GNU time puts "Command exited with non-zero status N" first when conform exits 1: the figures are last.
    read -r user system wall < <(tail -n 1 "$work/time.txt")
    printf '%-22s %9.2f %9.2f %s\n' "$shape" "$(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}')" "$wall" "$status"
    if grep -q "rt-hostile-secret-0123456789" "$work/out.txt" "$work/report.xml"; then
        echo "  the secret leaked for $shape" >&2
        exit 1
    fi
done
