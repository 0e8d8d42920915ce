#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the screenshots in data/screenshots/ from the real application under
# Xvfb: each page of the main window (and the preferences) at 1280x800 and at
# 360 px wide.  The app runs with throw-away settings and data directories
# that hold a small prepared history, so nothing of the user's is shown.
#   build-aux/screenshots.sh [BUILDDIR]
# Needs: xvfb-run, xdotool, ImageMagick (import), dbus-run-session.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${1:-_build}
if [ -z "${CAPI_SCREENSHOTS_INNER:-}" ]; then
  meson compile -C "$builddir" >/dev/null
  export CAPI_SCREENSHOTS_INNER=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

out=data/screenshots
mkdir -p "$out"
app="$builddir/src/capi-inspector"
[ -x "$app" ] || app="$builddir/src/ui/capi-inspector"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
export XDG_CACHE_HOME="$scratch/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME/capi-inspector"
cp tests/data/history-page.jsonl "$XDG_DATA_HOME/capi-inspector/history.jsonl"
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
export GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none
export LANG=C.UTF-8 LC_ALL=C.UTF-8
schema=io.github.capi_inspector.CapiInspector

# Waits for a window whose title is exactly $1 and prints its id.
wait_window () {
  local id=""
  for _ in $(seq 1 100); do
    id=$(xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | tail -n 1 || true)
    if [ -n "$id" ]; then
      echo "$id"
      return 0
    fi
    sleep 0.1
  done
  echo "no window named '$1' appeared" >&2
  return 1
}

# shoot PAGE WIDTH NAME [ARG...]: start the app on PAGE (with ARGs), size
# it, capture it.
shoot () {
  local page=$1 width=$2 name=$3 pid wid
  shift 3
  gsettings set "$schema" last-page "$page"
  gsettings set "$schema" window-width "$width"
  gsettings set "$schema" window-height 800
  "$app" "$@" >/dev/null 2>&1 &
  pid=$!
  wid=$(wait_window "CAPI Inspector")
  xdotool windowmove "$wid" 0 0 windowsize "$wid" "$width" 800
  sleep 1.5
  import -window "$wid" "$out/$name.png"
  if [ "$page" = compose ] && [ "$width" -gt 400 ]; then
    # The preferences, opened with their shortcut.
    xdotool key --window "$wid" ctrl+comma
    local pwid
    pwid=$(wait_window "Preferences")
    sleep 1
    import -window "$pwid" "$out/preferences.png"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$out/$name.png"
}

for page in compose history; do
  shoot "$page" 1280 "$page"
  shoot "$page" 360 "$page-narrow"
done
# The Dedup page on the fixtures of its UI test (every class but id-reused).
dedup_args=(--pixel tests/data/dedup/mix-pixel.jsonl --capi tests/data/dedup/mix-capi.jsonl)
shoot dedup 1280 dedup "${dedup_args[@]}"
shoot dedup 360 dedup-narrow "${dedup_args[@]}"
