#!/usr/bin/env bash
# The layers of Package.swift, checked: a target may import (and depend on) only targets of a lower layer,
# and only ConformXML reaches libxml2. SwiftPM already refuses a cycle between targets, but it lets a file
# import any module its target reaches through others, and it allows a same-layer dependency; this script
# refuses both, so that the picture in Package.swift stays the truth.
#
#   bash Tests/layers-check.sh [package root]     # exits 1 and names each violation, else prints a summary
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

# The layer of each of conform's targets, from the bottom. A new target gets a line here.
layer_of() {
    case "$1" in
    ConformSupport) echo 0 ;;
    ConformRegex | ConformJSON | ConformXML | ConformHTTP) echo 1 ;;
    ConformJSONSchema) echo 2 ;;
    ConformKit) echo 3 ;;
    conform | ConformFuzz) echo 4 ;;
    *) echo "" ;;
    esac
}

violations=0
fail() {
    echo "layers-check: $1" >&2
    violations=$((violations + 1))
}

# Each source folder's target: Sources/<target>/, and the fuzz target's own path.
folders=()
for folder in Sources/*/; do
    folders+=("${folder%/}")
done
[ -d fuzz/Sources/ConformFuzz ] && folders+=("fuzz/Sources/ConformFuzz")

checked=0
for folder in "${folders[@]}"; do
    target="$(basename "$folder")"
    [ "$target" = CLibXML2 ] && continue
    own="$(layer_of "$target")"
    if [ -z "$own" ]; then
        fail "$folder: target $target has no layer in Tests/layers-check.sh"
        continue
    fi
    # `import X`, `@testable import X`, `@_exported import X`, `public import X`: the module is the last word.
    while IFS=: read -r file line text; do
        module="$(echo "$text" | sed -E 's/^.*import[[:space:]]+([A-Za-z0-9_]+).*$/\1/')"
        checked=$((checked + 1))
        if [ "$module" = CLibXML2 ]; then
            [ "$target" = ConformXML ] || fail "$file:$line: only ConformXML imports CLibXML2 (the libxml2 quarantine)"
            continue
        fi
        theirs="$(layer_of "$module")"
        [ -z "$theirs" ] && continue  # Foundation, NIO, …: not one of conform's targets
        if [ "$theirs" -ge "$own" ]; then
            fail "$file:$line: $target (layer $own) imports $module (layer $theirs); a target imports only lower layers"
        fi
    done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+|public[[:space:]]+|package[[:space:]]+)*import[[:space:]]+[A-Za-z0-9_]+' \
        --include='*.swift' "$folder" || true)
done

# The declared dependencies: within each `name: "X"` target block of Package.swift, every quoted name of
# one of conform's targets is a dependency, and must be of a lower layer.
current=""
while IFS= read -r text; do
    if [[ "$text" =~ name:[[:space:]]*\"([A-Za-z0-9_]+)\" ]]; then
        current="${BASH_REMATCH[1]}"
        rest="${text#*name:*\"$current\"}"
    else
        rest="$text"
    fi
    [ -z "$current" ] && continue
    own="$(layer_of "$current")"
    [ -z "$own" ] && continue
    for dependency in $(echo "$rest" | grep -oE '"[A-Za-z0-9_]+"' | tr -d '"'); do
        theirs="$(layer_of "$dependency")"
        [ -z "$theirs" ] && continue
        if [ "$theirs" -ge "$own" ]; then
            fail "Package.swift: $current (layer $own) depends on $dependency (layer $theirs)"
        fi
    done
done < <(sed -n '/^    targets: \[/,$p' Package.swift | grep -vE '^[[:space:]]*//|product\(name:')

if [ "$violations" -gt 0 ]; then
    echo "layers-check: $violations violation(s)" >&2
    exit 1
fi
echo "layers-check: $checked imports in ${#folders[@]} folders, every one downwards"
