#!/usr/bin/env bash
# The layering check: no target imports a target of a higher layer.
#
# Reads the layer table of docs/architecture.md (the rows after the
# "<!-- layer table" marker, lowest layer first; the backticked names of the
# second column are targets, `Fuzz*` matches by prefix) and every `import X`
# in Sources/T and Fuzz/Sources/T. Fails when X is a target of a higher row
# than T, or when a target directory is missing from the table. Imports of
# modules that are not wagate targets (Foundation, NIOCore, ...) are ignored.
#
# Usage: scripts/check-layers.sh [ROOT]   (ROOT defaults to the repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
table="$root/docs/architecture.md"
[ -f "$table" ] || { echo "check-layers: $table not found" >&2; exit 2; }

# name<TAB>rank for every target named in the table.
layers="$(awk '
    /<!-- layer table/ { on = 1; next }
    on && !/^\|/ && rows > 0 { exit }
    on && /^\|/ {
        split($0, cell, "|")
        if (cell[3] ~ /^ *-+ *$/ || cell[2] ~ /^ *layer *$/) next
        rows++
        text = cell[3]
        while (match(text, /`[^`]+`/)) {
            print substr(text, RSTART + 1, RLENGTH - 2) "\t" rows
            text = substr(text, RSTART + RLENGTH)
        }
    }' "$table")"
[ -n "$layers" ] || { echo "check-layers: no layer table in $table" >&2; exit 2; }

declare -A exact=()
globs=()
while IFS=$'\t' read -r name rank; do
    if [[ "$name" == *'*'* ]]; then globs+=("$name"$'\t'"$rank"); else exact["$name"]="$rank"; fi
done <<< "$layers"

# Sets `found` to the rank of a module name, empty when it is not a wagate target.
rank_of() {
    local name="$1" entry
    found=""
    if [ -n "${exact[$name]+set}" ]; then found="${exact[$name]}"; return; fi
    for entry in "${globs[@]}"; do
        # shellcheck disable=SC2053 # the table's names may be globs (Fuzz*)
        if [[ "$name" == ${entry%%$'\t'*} ]]; then found="${entry#*$'\t'}"; return; fi
    done
}

import_line='^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+((typealias|struct|class|enum|protocol|let|var|func)[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)'

failures=0
for dir in "$root"/Sources/*/ "$root"/Fuzz/Sources/*/; do
    [ -d "$dir" ] || continue
    target="$(basename "$dir")"
    rank_of "$target"
    own="$found"
    if [ -z "$own" ]; then
        echo "check-layers: target $target (${dir#"$root"/}) is not in the layer table of docs/architecture.md"
        failures=$((failures + 1))
        continue
    fi
    while IFS=: read -r file line text; do
        [[ "$text" =~ $import_line ]] || continue
        module="${BASH_REMATCH[6]}"
        rank_of "$module"
        theirs="$found"
        if [ -n "$theirs" ] && [ "$theirs" -gt "$own" ]; then
            echo "check-layers: ${file#"$root"/}:$line: $target imports $module, a higher layer"
            failures=$((failures + 1))
        fi
    done < <(grep -rnE --include='*.swift' '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]' "$dir" || true)
done
if [ "$failures" -gt 0 ]; then
    echo "check-layers: $failures violation(s)"
    exit 1
fi
echo "check-layers: every import points down the layer table ($(wc -l <<< "$layers") targets)"
