#!/usr/bin/env bash
# Mutation testing: plants each mutant of Tests/mutants/mutants.tsv, one at a time, in a scratch copy of
# the repository, runs the tests, and says whether they caught it.
#
#   Tests/mutants/run.sh                 # every mutant
#   Tests/mutants/run.sh ID [ID …]       # only these
#   MUTANTS_FULL=1 Tests/mutants/run.sh  # the whole suite for every mutant instead of its filter
#
# A mutant is a one-line edit: its file, the exact original line (without its indentation; it must occur
# exactly once, so that the list moves with the code) and the replacement, with the bug it stands for.
# The copy lives in .build-mutants/src and builds into .build-mutants/build (git-ignored), so that builds
# are incremental across mutants and across runs: the first run builds everything once (about 10 minutes
# on 2 cores), each mutant then costs an incremental build and its tests (about a minute).
#
# Before any mutant, the unmutated copy must build and pass the whole suite. Then each mutant is
#   killed        its tests failed (or crashed, or timed out after MUTANT_TIMEOUT seconds, default 600)
#   SURVIVED      its tests passed: a bug the suite does not see
#   NOT FOUND     its original line is not in the file, or is there more than once
#   DID NOT BUILD the replacement does not compile: fix the mutant
#
# Exit status: 0 every mutant was killed; 1 otherwise; 2 the unmutated copy did not build or pass.
# Too slow for CI (about 7 minutes for the list once the copy is built): run it by hand after changing tests or the code
# they guard.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
list="$root/Tests/mutants/mutants.tsv"
work="$root/.build-mutants"
copy="$work/src"
scratch="$work/build"
timeout_seconds="${MUTANT_TIMEOUT:-600}"
full="${MUTANTS_FULL:-0}"
log="$work/log"
mkdir -p "$copy" "$scratch" "$log"
# The list and each file are read from copies taken before a mutant is planted: editing the repository while
# the script runs changes neither what it plants nor what it restores.
cp "$list" "$log/mutants.tsv"

started=$SECONDS
# The copy: everything but build folders and git's; tar (keeping modification times) where rsync is missing.
if command -v rsync >/dev/null 2>&1; then
    rsync -a --delete --exclude '/.build*' --exclude '/.git' --exclude '/.swiftpm' "$root/" "$copy/"
else
    find "$copy" -mindepth 1 -delete
    tar -C "$root" --exclude='./.build*' --exclude='./.git' --exclude='./.swiftpm' -cf - . | tar -C "$copy" -xf -
fi

# The official JSON-Schema-Test-Suite is in the git-ignored .build-cache (Tests/run.sh --setup-only fetches
# it), which the copy leaves out with the build folders: the copy reads the repository's.
if [[ -d "$root/.build-cache" && ! -e "$copy/.build-cache" ]]; then ln -s "$root/.build-cache" "$copy/.build-cache"; fi

# Standard input is /dev/null: the loop below reads the list from it.
swift_build() { (cd "$copy" && swift build --build-tests --scratch-path "$scratch") </dev/null >"$1" 2>&1; }
swift_test() {
    local filter=("$@")
    (cd "$copy" && timeout "$timeout_seconds" swift test --skip-build --no-parallel --scratch-path "$scratch" \
        "${filter[@]}") </dev/null
}

echo "mutants: building the unmutated copy in $copy"
if ! swift_build "$log/baseline-build.txt"; then
    tail -n 30 "$log/baseline-build.txt"
    echo "mutants: the unmutated copy does not build" >&2
    exit 2
fi
# A loaded machine can fail a timing test once: the baseline gets a second try, a mutant does not need one
# (its filter keeps to the tests that guard it).
if ! swift_test >"$log/baseline-test.txt" 2>&1 && ! swift_test >"$log/baseline-test.txt" 2>&1; then
    grep -E '✘|error' "$log/baseline-test.txt" | head -n 20
    echo "mutants: the unmutated copy does not pass its tests" >&2
    exit 2
fi
echo "mutants: unmutated: $(grep -o 'Test run with [0-9]* tests.*' "$log/baseline-test.txt" | tail -n 1)"

# Replaces the one line whose text (without indentation) is ORIGINAL by REPLACEMENT, keeping the indentation.
plant() {
    python3 - "$@" <<'PYTHON'
import sys
path, original, replacement = sys.argv[1:4]
lines = open(path, encoding="utf-8").read().split("\n")
found = [i for i, line in enumerate(lines) if line.strip() == original]
if len(found) != 1:
    print(f"{len(found)} matches", file=sys.stderr)
    sys.exit(1)
line = lines[found[0]]
lines[found[0]] = line[: len(line) - len(line.lstrip())] + replacement
open(path, "w", encoding="utf-8").write("\n".join(lines))
PYTHON
}

killed=0
survived=0
broken=0
total=0
while IFS=$'\t' read -r id file original replacement filter bug; do
    [[ -z "$id" || "$id" == \#* || "$id" == "id" ]] && continue
    if [[ $# -gt 0 ]] && ! printf '%s\n' "$@" | grep -qxF "$id"; then continue; fi
    total=$((total + 1))
    mutant_started=$SECONDS
    cp "$copy/$file" "$log/unmutated"
    if ! plant "$copy/$file" "$original" "$replacement" 2>"$log/$id-plant.txt"; then
        printf '%-13s %-32s %s (%s)\n' "NOT FOUND" "$id" "$file" "$(cat "$log/$id-plant.txt")"
        broken=$((broken + 1))
        continue
    fi
    verdict=""
    if ! swift_build "$log/$id-build.txt"; then
        verdict="DID NOT BUILD"
        broken=$((broken + 1))
    else
        arguments=()
        [[ "$full" != "1" && -n "$filter" ]] && arguments=(--filter "$filter")
        if swift_test "${arguments[@]}" >"$log/$id-test.txt" 2>&1; then
            verdict="SURVIVED"
            survived=$((survived + 1))
        else
            verdict="killed"
            killed=$((killed + 1))
        fi
    fi
    cp "$log/unmutated" "$copy/$file"
    printf '%-13s %-32s %4d s  %s\n' "$verdict" "$id" "$((SECONDS - mutant_started))" "$bug"
done <"$log/mutants.tsv"

# Leave the copy unmutated and built for the next run.
swift_build "$log/final-build.txt" || true
echo "mutants: $killed killed, $survived survived, $broken not planted or not built, of $total; $((SECONDS - started)) s"
echo "mutants: logs in $log"
[[ $killed -eq $total ]]
