#!/usr/bin/env bash
# The test command: `swift test --no-parallel`, with everything the tests need installed first, so that it
# passes on a fresh clone with nothing beside it.
#
#   Tests/run.sh                           # set up, build, check the HTML report in Chromium, run every test
#   Tests/run.sh --filter LatencyFigures   # the same; the arguments go to `swift test --no-parallel`
#   Tests/run.sh --setup-only              # set up only (what a missing official suite asks for)
#
# Set-up installs what is missing and leaves what is there:
# - libxml2's headers and pkg-config (Debian's libxml2-dev and pkg-config), to build the CLibXML2 target;
# - Python's jsonschema (the suite-format schema test), Authlib and Flask (Tests/authlib/server.py), from
#   PyPI, else from Debian;
# - the official JSON-Schema-Test-Suite (OfficialSuiteTests), from the source distribution of PyPI's
#   jsonschema pinned below, checked against its sha256 and unpacked into .build-cache/ (git-ignored);
# - Chromium (Debian's), by Tests/html/check-in-chromium.sh, which renders the real binary's HTML report.
#
# .ci/run runs this script on a clean clone and checks how many tests ran.
set -euo pipefail
cd "$(dirname "$0")/.."

setup_only=0
if [[ "${1:-}" == "--setup-only" ]]; then
    setup_only=1
    shift
fi

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_install() {
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@"
}

# libxml2's headers and pkg-config are needed to build the CLibXML2 system-library target.
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libxml-2.0 2>/dev/null || missing+=(libxml2-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "tests: installing ${missing[*]}"
    apt_install "${missing[@]}"
fi

# The suite-format schema test validates with Python's jsonschema (Draft 2020-12).
if ! python3 -c "import jsonschema" >/dev/null 2>&1; then
    echo "tests: installing jsonschema"
    python3 -m pip install --quiet jsonschema || apt_install python3-jsonschema
fi
# It reads the YAML suites with PyYAML.
if ! python3 -c "import yaml" >/dev/null 2>&1; then
    echo "tests: installing pyyaml"
    python3 -m pip install --quiet pyyaml || apt_install python3-yaml
fi

# The Authlib end-to-end tests run Tests/authlib/server.py, a token endpoint on Authlib and Flask.
if ! python3 -c "import authlib, flask" >/dev/null 2>&1; then
    echo "tests: installing authlib and flask"
    python3 -m pip install --quiet authlib flask || apt_install python3-authlib python3-flask
    # Debian's packages serve Debian's python3, which need not be the first python3 on the PATH.
    if ! python3 -c "import authlib, flask" >/dev/null 2>&1 && /usr/bin/python3 -c "import authlib, flask" >/dev/null 2>&1
    then
        export CONFORM_PYTHON=/usr/bin/python3
    fi
fi

# The official JSON-Schema-Test-Suite, as the source distribution of this jsonschema release carries it
# (json/tests/draft2020-12). OfficialSuiteTests asserts the totals of exactly this version: change the
# three lines together with them.
suite_release="jsonschema==4.26.0"
suite_archive="jsonschema-4.26.0.tar.gz"
suite_sha256="0c26707e2efad8aa1bfc5b7ce170f3fccc2e4918ff85989ba9ffa9facb2be326"
suite_cache=".build-cache/json-schema-test-suite"
if [[ "$(cat "$suite_cache/SOURCE" 2>/dev/null)" != "$suite_release $suite_sha256" ]]; then
    echo "tests: fetching the JSON-Schema-Test-Suite from PyPI ($suite_release, source distribution)"
    download="$(mktemp -d)"
    trap 'rm -rf "$download"' EXIT
    python3 -m pip download --quiet --no-binary :all: --no-deps "$suite_release" -d "$download"
    if ! echo "$suite_sha256  $download/$suite_archive" | sha256sum --check --quiet --strict; then
        echo "tests: $suite_archive from PyPI does not have the sha256 pinned in $0" >&2
        exit 1
    fi
    tar -xzf "$download/$suite_archive" -C "$download" "${suite_archive%.tar.gz}/json"
    rm -rf "$suite_cache"
    mkdir -p "$suite_cache"
    cp -R "$download/${suite_archive%.tar.gz}/json/tests/draft2020-12" "$download/${suite_archive%.tar.gz}/json/LICENSE" \
        "$suite_cache/"
    # Written last: a cache without it is fetched again.
    echo "$suite_release $suite_sha256" >"$suite_cache/SOURCE"
fi

[[ $setup_only -eq 0 ]] || exit 0

swift --version
swift build --build-tests

# The HTML report rendered by the real binary in headless Chromium (installed from Debian when missing):
# no console error, no external reference, a painted page.
started=$SECONDS
CONFORM_BIN="$PWD/.build/debug/conform" bash Tests/html/check-in-chromium.sh
echo "tests: Chromium check of the HTML report took $((SECONDS - started)) s"

# Its closing line says how many tests ran.
swift test --no-parallel "$@"
