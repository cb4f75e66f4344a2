#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# in a throwaway HOME and XDG_RUNTIME_DIR, so tests never touch a real keyring.
# Usage: with-keyring.sh <command> [args...]
set -eu
if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring.sh: $tool is missing (install dbus and gnome-keyring)" >&2
        exit 1
    fi
done
tmp_home=$(mktemp -d)
tmp_run=$(mktemp -d)
chmod 700 "$tmp_run"
trap 'rm -rf "$tmp_home" "$tmp_run"' EXIT
export HOME="$tmp_home" XDG_RUNTIME_DIR="$tmp_run"
export XDG_CONFIG_HOME="$tmp_home/.config" XDG_DATA_HOME="$tmp_home/.local/share" XDG_CACHE_HOME="$tmp_home/.cache"
unset DISPLAY WAYLAND_DISPLAY || true
status=0
dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' \
    with-keyring "$@" || status=$?
exit "$status"
