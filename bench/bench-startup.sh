#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Start-up to first frame, and a burst of 100 keystrokes into the e-mail
# field, of the real application under Xvfb.
#
#   bench/bench-startup.sh [RUNS]        (default 5 runs; needs a build in _build/)
#   CAPI_BENCH_KEY_DELAY_MS=30 bench/bench-startup.sh   (slower typing; default 1 ms)
#
# The app runs in benchmark mode (CAPI_INSPECTOR_BENCH, see capi-window.c):
# it prints when its first frame is painted, focuses the e-mail field, and
# once xdotool has typed 100 characters, how long the preview took to catch
# up with the last one.  Prints one line per run and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
app=./_build/src/ui/capi-inspector
[ -x "$app" ] || { echo "build first: meson setup _build && meson compile -C _build" >&2; exit 1; }
command -v xdotool >/dev/null || { echo "needs xdotool (apt-get install xdotool)" >&2; exit 1; }

if [ -z "${CAPI_BENCH_INNER:-}" ]; then
  export CAPI_BENCH_INNER=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$PWD/_build/data" GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none
keys=$(printf 'a%.0s' $(seq 1 100))
results=$(mktemp)

for i in $(seq 1 "$runs"); do
  out=$(mktemp)
  data=$(mktemp -d)
  # CLOCK_MONOTONIC in µs, the clock of g_get_monotonic_time().
  t0=$(/usr/bin/python3 -c 'import time; print(time.monotonic_ns() // 1000)')
  XDG_DATA_HOME="$data" CAPI_INSPECTOR_BENCH="$t0" "$app" >"$out" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 200); do grep -q '^ready' "$out" && break; sleep 0.05; done
  wid=$(xdotool search --name '^CAPI Inspector$' | head -1)
  xdotool windowfocus --sync "$wid"
  xdotool type --delay "${CAPI_BENCH_KEY_DELAY_MS:-1}" "$keys"
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  line=$(awk '$1 != "ready" { printf "%s=%s ", $1, $2 }' "$out")
  echo "run $i: $line"
  echo "$line" >>"$results"
  rm -rf "$out" "$data"
done

median () {
  tr ' ' '\n' <"$results" | awk -F= -v k="$1" '$1 == k { print $2 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print "n/a" }'
}
echo "median first_frame_ms: $(median first_frame_ms)"
echo "median first_frame_cpu_ms: $(median first_frame_cpu_ms)"
echo "median burst_ms (100 keys typed by xdotool, ${CAPI_BENCH_KEY_DELAY_MS:-1} ms apart): $(median burst_ms)"
echo "median preview_lag_after_last_key_ms: $(median preview_lag_after_last_key_ms)"
echo "median preview_rebuilds: $(median preview_rebuilds)"
echo "median max_rebuild_ms: $(median max_rebuild_ms)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
rm -f "$results"
