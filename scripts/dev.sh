#!/usr/bin/env bash
# Forcescope's two entry points (see README.md):
#   scripts/dev.sh demo   install dependencies, build (release), open the explorer on the demo org
#   scripts/dev.sh test   install dependencies, build with ASan+UBSan and -Werror, run every test
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true

bash scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/forcescope-ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Relative paths and no cwd in the hash: a fresh clone in another folder (as CI makes) reuses the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}

case "$mode" in
  demo)
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs" --target forcescope forcescope-sim
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "dev.sh: no display found (DISPLAY/WAYLAND_DISPLAY unset); run this from a desktop session," >&2
      echo "        or under Xvfb: xvfb-run -a bash scripts/dev.sh demo" >&2
      exit 1
    fi
    exec build/release/bin/forcescope --demo "$@"
    ;;
  test)
    start=$(date +%s)
    cmake --preset ci
    # The engine builds on its own: it must not need Qt Gui or Widgets.
    cmake --build --preset ci -j "$jobs" --target fs_engine
    cmake --build --preset ci -j "$jobs"
    echo "dev.sh: build took $(( $(date +%s) - start )) s"
    ctest --preset ci -j "$jobs" "$@"
    echo "dev.sh: build and tests took $(( $(date +%s) - start )) s"
    ;;
  *)
    echo "usage: scripts/dev.sh demo|test [extra args]" >&2
    exit 2
    ;;
esac
