#!/usr/bin/env bash
# The cost per sample of checking a JWT access token with its RS256 signature verified, on loopback against
# conform's own standalone Pitchpoint mock. Not part of swift test.
#
#   benchmarks/jwt-verify.sh                        # SAMPLES=4000 CONNECTIONS=8 RUNS=3
#   CONFORM=.build/debug/conform benchmarks/jwt-verify.sh
#
# Two suites that differ only in the access token's rule run the same repeated refresh case under
# /usr/bin/time: "jwt" (the shape: three parts and a header) and {"jwt": {...}} as suites/pitchpoint.json
# writes it (RS256 allowed, claims, times against the Date, exp - iat against expires_in, the signature
# verified with the key set the mock serves, fetched once). The difference of their CPU time (user +
# system), divided by the samples, is the cost of one JWT check; the median of RUNS pairs is printed. The
# mock signs at most one token a second, so its own cost does not grow with the samples.
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLES=${SAMPLES:-4000}
CONNECTIONS=${CONNECTIONS:-8}
RUNS=${RUNS:-3}

if [ ! -x /usr/bin/time ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends time
fi

conform=${CONFORM:-$(benchmarks/build-release.sh)}
work=$(mktemp -d)
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$conform" mock pitchpoint --port 0 >"$work/mock.env" &
mock_pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$work/mock.env")" -ge 5 ] && break; sleep 0.1; done
base=$(head -n 1 "$work/mock.env")
# shellcheck disable=SC2046
export $(tail -n +2 "$work/mock.env" | xargs)

# The same case twice: the shape only, and the verified JWT of suites/pitchpoint.json.
write_suite() {
    cat >"$work/$1.json" <<JSON
{
  "format": 1,
  "name": "jwt $1",
  "variables": {
    "refresh_token": { "value": "\${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true },
    "jwks_url": { "value": "\${env:PITCHPOINT_JWKS_URL}" }
  },
  "cases": [
    {
      "name": "refresh",
      "repeat_safe": true,
      "request": {
        "method": "POST",
        "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
        "json": { "refresh_token": "\${refresh_token}" }
      },
      "expect": { "status": 200, "fields": { "access_token": [$2] } }
    }
  ]
}
JSON
}
write_suite shape '"jwt"'
write_suite verified '{ "jwt": { "alg": ["RS256"], "claims_matching": { "iss": "^https://securetoken\\.google\\.com/" }, "required_claims": ["iss", "aud", "sub", "iat", "exp"], "lifetime_field": "expires_in", "jwks_url": "${jwks_url}" } }'

cpu() {
    /usr/bin/time -f "%U %S" -o "$work/time.txt" "$conform" run "$work/$1.json" --base-url "$base" \
        --repeat "$SAMPLES" --concurrency "$CONNECTIONS" >"$work/$1.txt" || {
        cat "$work/$1.txt" >&2
        echo "benchmark: the $1 run failed" >&2
        exit 1
    }
    awk '{printf "%.3f", $1 + $2}' "$work/time.txt"
}

costs=()
for _ in $(seq "$RUNS"); do
    shape=$(cpu shape)
    verified=$(cpu verified)
    costs+=("$(awk -v v="$verified" -v s="$shape" -v n="$SAMPLES" 'BEGIN {printf "%.1f", 1e6 * (v - s) / n}')")
    echo "shape $shape s, verified $verified s of CPU for $SAMPLES samples"
done
median=$(printf '%s\n' "${costs[@]}" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
echo "JWT check with RS256 verification: $median µs of CPU per sample (median of $RUNS: ${costs[*]}; $(nproc) cores, $(uname -m))"
