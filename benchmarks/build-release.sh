#!/usr/bin/env bash
# Builds the release binary that is shipped and measured, and prints its path.
#
# The Swift runtime and Foundation are linked in (--static-swift-stdlib), the executable is
# position-dependent (-no-pie) and exports no symbols (--no-export-dynamic): at start-up the loader then
# has next to nothing to relocate or look up, which keeps about 8 MiB of pages out of memory (see
# benchmarks/README.md). Linking the runtime in also means the binary runs where no Swift is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib -Xlinker -no-pie -Xlinker --no-export-dynamic)
swift build "${flags[@]}" --product conform >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/conform"
