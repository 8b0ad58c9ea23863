#!/usr/bin/env bash
# Renders conform's HTML report in headless Chromium and fails on any console error or an empty screenshot.
#
#   Tests/html/check-in-chromium.sh [REPORT.html]
#
# With REPORT.html, that page is checked. Without it, a report is generated first by the real binary
# (CONFORM_BIN, default .build/debug/conform) against the embedded mock with a deviation, so that the page
# has failures, warnings and a latency histogram:
#
#   conform run suites/pitchpoint.json --mock-deviation expires-in-string --repeat 20 \
#       --report-html OUT/report.html --junit OUT/r.xml
#
# Installs Debian's chromium when it is missing. Writes OUT/report.png and OUT/chromium.log, where OUT is
# CONFORM_HTML_OUT or a new temporary folder, and prints the PNG's path.
#
# Exit status: 0 the page rendered without console errors; 1 a console error, or no screenshot;
# 2 the check could not run (no binary, no --report-html option, chromium not installable).
set -euo pipefail

package_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${CONFORM_HTML_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/conform-html.XXXXXX")}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

fail() {
    echo "check-in-chromium: $1" >&2
    exit "${2:-1}"
}

# --- The page ---------------------------------------------------------------------------------------------
if [[ $# -ge 1 ]]; then
    [[ -s "$1" ]] || fail "no HTML report at $1" 2
    page="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
    binary="${CONFORM_BIN:-$package_root/.build/debug/conform}"
    [[ -x "$binary" ]] || fail "no conform binary at $binary: run 'swift build' first, or pass an HTML file" 2
    "$binary" run --help 2>&1 | grep -q -- '--report-html' \
        || fail "$binary has no --report-html option yet: pass an HTML file instead" 2
    page="$out/report.html"
    status=0
    (cd "$package_root" && "$binary" run suites/pitchpoint.json --mock-deviation expires-in-string --repeat 20 \
        --report-html "$page" --junit "$out/r.xml") >"$out/conform.log" 2>&1 || status=$?
    # The deviation makes cases fail (status 1); 2 and above mean the run itself did not happen.
    [[ $status -le 1 ]] || { cat "$out/conform.log" >&2; fail "conform run exited with status $status" 2; }
    [[ -s "$page" ]] || fail "conform run wrote no report at $page" 1
fi

# --- Chromium ---------------------------------------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "chromium is missing and installing it needs root or sudo" 2
        sudo="sudo"
    fi
    started=$SECONDS
    echo "check-in-chromium: installing chromium with apt-get" >&2
    $sudo apt-get update -q >&2 || fail "apt-get update failed" 2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium >&2 \
        || fail "apt-get install chromium failed" 2
    echo "check-in-chromium: installed $(chromium --version 2>/dev/null) in $((SECONDS - started)) s" >&2
fi

# --- Render -----------------------------------------------------------------------------------------------
png="$out/report.png"
log="$out/chromium.log"
url="file://$page"
rm -f "$png"
# Nothing may leave the machine: every host name fails to resolve, so a stray external reference shows up
# as a failed load in the console instead of a download.
status=0
timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --host-resolver-rules='MAP * ~NOTFOUND' --enable-logging=stderr --v=0 \
    --screenshot="$png" --window-size=1280,2000 "$url" >"$log" 2>&1 || status=$?
[[ $status -eq 0 ]] || echo "check-in-chromium: chromium exited with status $status (log: $log)" >&2

# Console messages and page errors; GPU, D-Bus and sandbox noise never names the page.
page_problems="$(grep -E 'CONSOLE|Uncaught|net::ERR_|Failed to load resource' "$log" || true)"
page_problems+="$(grep -F 'ERROR:' "$log" | grep -F -e "$url" -e "$page" || true)"
if [[ -n "$page_problems" ]]; then
    echo "check-in-chromium: console errors on $url:" >&2
    echo "$page_problems" >&2
    exit 1
fi

# Headless Chromium does not log a failed image or style sheet load, so external references are also looked
# for in the markup: a script, a link or embed element, a src attribute, an href that is not a #fragment,
# a CSS url() or @import.
references="$(grep -n -o -i -E '<(script|link|img|iframe|object|embed|base)[ >/]|[[:space:]](src|xlink:href|href)="[^#"][^"]*"|url\(|@import' "$page" || true)"
if [[ -n "$references" ]]; then
    echo "check-in-chromium: $page refers to something outside the page:" >&2
    echo "$references" >&2
    exit 1
fi

[[ -s "$png" ]] || fail "no screenshot written (chromium log: $log)" 1
[[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || fail "$png is not a PNG" 1

# A page that failed to paint is one flat colour. Its filtered pixel rows hold a handful of byte values
# (the colour and the zeros of the Sub/Up filters); a rendered report holds nearly all 256.
if command -v python3 >/dev/null 2>&1; then
    distinct="$(python3 - "$png" <<'PYTHON'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
offset, compressed = 8, b""
while offset + 8 <= len(data):
    (length,) = struct.unpack(">I", data[offset:offset + 4])
    if data[offset + 4:offset + 8] == b"IDAT":
        compressed += data[offset + 8:offset + 8 + length]
    offset += 12 + length
print(len(set(zlib.decompress(compressed))))
PYTHON
)" || fail "$png cannot be decoded" 1
    [[ "$distinct" -gt 16 ]] || fail "$png is blank: the page did not paint ($distinct distinct byte values)" 1
else
    echo "check-in-chromium: python3 is missing, not checking that $png is not blank" >&2
fi

echo "$png"
