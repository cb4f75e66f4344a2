#!/usr/bin/env bash
# Builds the UI flow tests if needed, drives the real app against the simulated org offscreen and
# collects a PNG of each main view (schema, editor with results, nested grid, edit conflict,
# limits, log; the whole window in the light and a dark palette; the connect dialog waiting for
# the browser and showing an error) into docs/screenshots/.
#
#   scripts/screenshots.sh [BUILD_DIR]      (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
out="$root/docs/screenshots"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake --preset dev -B "$build" -S "$root"
fi
cmake --build "$build" --target tst_explorerflow tst_orglogin -j"$(nproc)"

shots="$(mktemp -d)"
trap 'rm -rf "$shots"' EXIT
QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='qt.qpa.*=false' FS_TEST_OUTPUT_DIR="$shots" \
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
  "$build/bin/tst_explorerflow" >"$shots/test.log" 2>&1 || { echo "tst_explorerflow failed; see below" >&2; tail -30 "$shots/test.log" >&2; }

# The login flows need a keyring: a private D-Bus session with an unlocked gnome-keyring.
QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='qt.qpa.*=false' FS_TEST_OUTPUT_DIR="$shots" \
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
  "$root/tests/support/with-keyring.sh" "$build/bin/tst_orglogin" >"$shots/orglogin.log" 2>&1 \
  || { echo "tst_orglogin failed; see below" >&2; tail -30 "$shots/orglogin.log" >&2; }

mkdir -p "$out"
for name in schema editor-results nested-grid edit-conflict edit-conflict-window limits log \
  overview-light overview-dark orglogin-browser-waiting orglogin-error; do
  if [[ -f "$shots/screenshots/$name.png" ]]; then
    cp "$shots/screenshots/$name.png" "$out/$name.png"
    echo "docs/screenshots/$name.png"
  else
    echo "missing: $name.png" >&2
  fi
done
