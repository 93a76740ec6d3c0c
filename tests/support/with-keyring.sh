#!/usr/bin/env bash
# Runs a test with a private D-Bus session and an unlocked gnome-keyring, i.e. a real
# Secret Service, headless. Used by ctest for tests registered with KEYRING.
set -eu
if [ -z "${HD_IN_KEYRING_SESSION:-}" ]; then
    exec env HD_IN_KEYRING_SESSION=1 dbus-run-session -- "$0" "$@"
fi
export XDG_RUNTIME_DIR="$(mktemp -d)"
chmod 700 "$XDG_RUNTIME_DIR"
export HOME="${XDG_RUNTIME_DIR}/home"
mkdir -p "$HOME"
eval "$(printf 'healthdeck-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
"$@"
status=$?
rm -rf "$XDG_RUNTIME_DIR"
exit $status
