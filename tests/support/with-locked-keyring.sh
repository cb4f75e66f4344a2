#!/bin/sh
# Runs a command like with-keyring.sh does (private D-Bus, throwaway HOME, gnome-keyring), but with
# the keyring's login collection LOCKED through the Secret Service `Lock` call, as after a screen
# lock or on a desktop that never unlocked it.
#
# FS_KEYRING_PROMPTER decides what happens when a client needs the collection unlocked:
#   none (default)  gnome-keyring's prompter (gcr-prompter) cannot open a display and fails at once,
#                   so writes end with "Cannot create an item in a locked collection".
#   xvfb            a private Xvfb display is given to the bus's activation environment, so the
#                   unlock prompt really opens and waits for a password nobody types: clients hang
#                   until they give up themselves.
# Usage: with-locked-keyring.sh <command> [args...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" != "--inside" ]; then
    if [ "$#" -eq 0 ]; then
        echo "usage: $0 <command> [args...]" >&2
        exit 2
    fi
    exec "$here/with-keyring.sh" "$here/with-locked-keyring.sh" --inside "$@"
fi
shift

xvfb_pid=""
cleanup() {
    if [ -n "$xvfb_pid" ]; then
        kill "$xvfb_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

if [ "${FS_KEYRING_PROMPTER:-none}" = "xvfb" ]; then
    if ! command -v Xvfb >/dev/null 2>&1; then
        echo "with-locked-keyring.sh: Xvfb is missing (install xvfb)" >&2
        exit 1
    fi
    display_file="$XDG_RUNTIME_DIR/xvfb-display"
    : >"$display_file"
    # -displayfd picks a free display and writes its number once the server accepts clients.
    Xvfb -displayfd 9 -nolisten tcp -screen 0 800x600x24 9>"$display_file" 2>/dev/null &
    xvfb_pid=$!
    tries=0
    while [ ! -s "$display_file" ]; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "with-locked-keyring.sh: Xvfb did not start" >&2
            exit 1
        fi
        sleep 0.1
    done
    display=":$(head -n 1 "$display_file")"
    # Only services the bus starts from now on (the prompter) see the display; the command does not.
    dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.UpdateActivationEnvironment "dict:string:string:DISPLAY,$display" >/dev/null
fi

dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null

status=0
"$@" || status=$?
exit "$status"
