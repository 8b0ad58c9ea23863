#!/usr/bin/env bash
# CPU time conform spends on a certificate path-building bomb. Not part of swift test.
#
#   benchmarks/path-building-bomb.sh [LEVELS [WIDTH]]      # 6 levels of 8 by default
#
# openssl makes a leaf for 127.0.0.1 and LEVELS levels of WIDTH intermediates: every certificate of a level
# has the same subject and key, so each is a valid issuer of every certificate of the level below, and the
# top level's issuer is a root that nobody trusts. The chain (1 + LEVELS × WIDTH certificates) offers
# WIDTH^LEVELS paths, none to a trusted root. `openssl s_server` serves it; conform runs one case against it
# with --timeout 10 under GNU time. The figures are user + system CPU seconds and wall seconds of the whole
# run, and the case's error. CONFORM=PATH measures that binary instead of the release build; PATIENCE=SECONDS
# (300) bounds the run: then SIGTERM, and SIGKILL 10 s later (a conform that ignores the first is killed
# without reports).
set -euo pipefail
cd "$(dirname "$0")/.."
levels=${1:-6}
width=${2:-8}
conform=${CONFORM:-$(benchmarks/build-release.sh)}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca_ext="basicConstraints=critical,CA:true
keyUsage=critical,keyCertSign,digitalSignature"
printf '%s\n' "$ca_ext" >ca.ext
printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >leaf.ext

key root.key
openssl req -new -x509 -key root.key -subj "/O=conform/CN=bomb root" -days 30 -out root.pem -addext "$(head -1 ca.ext)" 2>/dev/null
issuer_cert=root.pem
issuer_key=root.key
: >chain.pem
for ((level = levels; level >= 1; level--)); do
    key "level$level.key"
    openssl req -new -key "level$level.key" -subj "/O=conform/CN=bomb level $level" -out "level$level.csr" 2>/dev/null
    for ((copy = 1; copy <= width; copy++)); do
        openssl x509 -req -in "level$level.csr" -CA "$issuer_cert" -CAkey "$issuer_key" -set_serial "$((level * 1000 + copy))" \
            -days 30 -extfile ca.ext -out "level$level-$copy.pem" 2>/dev/null
    done
    issuer_cert="level$level-1.pem"
    issuer_key="level$level.key"
done
for ((level = 1; level <= levels; level++)); do cat level"$level"-*.pem >>chain.pem; done
key leaf.key
openssl req -new -key leaf.key -subj "/O=conform/CN=bomb leaf" -out leaf.csr 2>/dev/null
# The loop ended at level 1, which issues the leaf.
openssl x509 -req -in leaf.csr -CA "$issuer_cert" -CAkey "$issuer_key" -set_serial 1 -days 30 -extfile leaf.ext \
    -out leaf.pem 2>/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
openssl s_server -quiet -www -accept "127.0.0.1:$port" -cert leaf.pem -key leaf.key -cert_chain chain.pem \
    >server.txt 2>&1 &
server=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "bomb: $levels levels of $width ($(grep -c BEGIN chain.pem) intermediates, $(wc -c <chain.pem) bytes of PEM)"
status=0
/usr/bin/time -f "%U %S %e %M" -o time.txt timeout -k 10 "${PATIENCE:-300}" "$conform" run "$OLDPWD/benchmarks/path-building-bomb.json" \
    --base-url "https://127.0.0.1:$port" --timeout 10 --junit report.xml >out.txt 2>&1 || status=$?
read -r user system wall peak < <(tail -n 1 time.txt)
echo "cpu $(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}') s, wall $wall s, peak ${peak} KiB, exit $status"
if [ ! -s report.xml ]; then
    echo "no report (exit $status)"
    tail -n 5 out.txt
    exit 1
fi
grep -o 'TLS failed: [^"]*' report.xml | head -n 1 || { echo "no TLS error in the report" >&2; cat out.txt >&2; exit 1; }
