#!/usr/bin/env bash
# Coverage-guided fuzzing of conform's readers with libFuzzer.
#
#   fuzz/run.sh TARGET SECONDS [LIBFUZZER-OPTION …]
#   fuzz/run.sh all SECONDS              # every target in turn, SECONDS each
#
# TARGET is one of suite, json, xml, masker, jsonschema, junit, response (fuzz/Sources/ConformFuzz/FuzzTarget.swift
# says what each runs). The fuzz executable is part of the package only with CONFORM_FUZZ=1; it is built
# once into .build-fuzz (git-ignored) with -sanitize=fuzzer,address, so ordinary builds never see it.
#
# Inputs start from the seeds in fuzz/corpus/TARGET (committed, small); what the fuzzer adds goes to
# .build-fuzz/corpus/TARGET, so runs build on each other. A crash, a sanitizer report, a failed check
# or an input slower than 10 s is written to fuzz/findings/TARGET/ (git-ignored) and ends the run with
# libFuzzer's status: turn it into a regression test under Tests/ConformKitTests/ and fix it.
#
# Prints libFuzzer's final statistics (executions, executions per second, new inputs, peak memory) and
# its last coverage line (cov: edges, ft: features, corp: corpus size).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
targets=(suite json xml masker jsonschema junit response)

if [[ $# -lt 2 ]]; then
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
target="$1"
seconds="$2"
shift 2
if [[ "$target" == "all" ]]; then
    status=0
    for each in "${targets[@]}"; do "$0" "$each" "$seconds" "$@" || status=$?; done
    exit "$status"
fi
printf '%s\n' "${targets[@]}" | grep -qxF "$target" || { echo "fuzz: unknown target '$target' (${targets[*]})" >&2; exit 2; }

scratch="$root/.build-fuzz"
mkdir -p "$scratch"
echo "fuzz: building into $scratch" >&2
(cd "$root" && CONFORM_FUZZ=1 swift build --scratch-path "$scratch" --product ConformFuzz \
    -Xswiftc -sanitize=fuzzer,address) >"$scratch/build.log" 2>&1 || { tail -n 30 "$scratch/build.log"; exit 2; }
binary="$scratch/debug/ConformFuzz"

corpus="$scratch/corpus/$target"
findings="$root/fuzz/findings/$target"
mkdir -p "$corpus" "$findings"
log="$scratch/$target.log"
status=0
# Swift's own crash reporter and LeakSanitizer (the runtime keeps its caches to the end) add nothing here.
CONFORM_FUZZ_TARGET="$target" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" \
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$@" "$corpus" "$root/fuzz/corpus/$target" >"$log" 2>&1 || status=$?

echo "fuzz: $target for $seconds s: exit $status (log: $log)"
grep -E '^#[0-9]+' "$log" | tail -n 1 || true
grep -E '^stat::' "$log" || true
if [[ $status -ne 0 ]]; then
    grep -E 'ERROR|==[0-9]+==|Fatal error|Precondition failed|Test unit written|Slowest unit' "$log" | head -n 20
fi
exit "$status"
