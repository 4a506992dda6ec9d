#!/usr/bin/env bash
# Proves that scripts/check-layers.sh catches what it is for: on a temporary
# copy of docs/ and the sources, an upward import and a target missing from the
# layer table must each fail the check, and the unchanged copy must pass.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fresh_copy() {
    rm -rf "$work/tree" && mkdir -p "$work/tree/Fuzz"
    cp -R "$here/docs" "$here/Sources" "$work/tree/"
    [ -d "$here/Fuzz/Sources" ] && cp -R "$here/Fuzz/Sources" "$work/tree/Fuzz/"
    return 0
}

expect() {
    local want="$1" what="$2" out status
    set +e
    out="$("$here/scripts/check-layers.sh" "$work/tree" 2>&1)"
    status=$?
    set -e
    if [ "$want" = fail ] && [ "$status" -ne 1 ]; then
        echo "test-check-layers: FAILED: $what was not caught (exit $status): $out"; exit 1
    fi
    if [ "$want" = pass ] && [ "$status" -ne 0 ]; then
        echo "test-check-layers: FAILED: $what: $out"; exit 1
    fi
    echo "test-check-layers: ok: $what"
}

fresh_copy
expect pass "the unchanged tree passes"

fresh_copy
printf 'import Gateway\n' > "$work/tree/Sources/SDP/UpwardImport.swift"
expect fail "SDP importing Gateway"

fresh_copy
printf '@testable import CallControl\n' > "$work/tree/Sources/Media/UpwardImport.swift"
expect fail "Media importing CallControl with @testable"

fresh_copy
mkdir -p "$work/tree/Sources/Unlisted" && printf 'import Foundation\n' > "$work/tree/Sources/Unlisted/A.swift"
expect fail "a target missing from the table"

fresh_copy
printf 'import Media\n' > "$work/tree/Sources/ICE/UpwardImport.swift"
expect fail "ICE importing Media"
