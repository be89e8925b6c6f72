#!/usr/bin/env bash
# Closes the real window the way a window manager's "kill" (or `xdotool
# windowclose`) does on X11 -- the window is destroyed under the app -- and
# checks that netassist exits normally (status 0, no panic trace) and has
# saved its profiles file. Needs Xvfb and xdotool; uses a release build.
#   cargo build --release && xvfb-run -a tools/check_wm_close.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NETASSIST_CONFIG_DIR="$work/config" NETASSIST_DATA_DIR="$work/data"
target/release/netassist >"$work/out.log" 2>&1 &
pid=$!
window=""
for _ in $(seq 100); do
    window=$(xdotool search --pid "$pid" 2>/dev/null | tail -n 1 || true)
    [ -n "$window" ] && break
    sleep 0.1
done
[ -n "$window" ] || { echo "no window"; kill "$pid"; exit 1; }
xdotool windowclose "$window"
status=0
wait "$pid" || status=$?
if [ "$status" != 0 ] || grep -q "panicked" "$work/out.log"; then
    cat "$work/out.log"
    echo "FAIL: exit status $status"
    exit 1
fi
[ -s "$work/config/profiles.ron" ] || { echo "FAIL: profiles.ron not saved"; exit 1; }
echo "PASS: the window destroyed from outside: exit 0, profiles saved"
