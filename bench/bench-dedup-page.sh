#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Dedup page of the real application under Xvfb on N pixel + N CAPI
# events from bench/gen_dedup.py: how long until the comparison is done and
# until the table holds every row, the longest time the main loop was kept
# from running meanwhile (the UI's responsiveness), then the same for a
# sort by the dedup id column (a click on its header), and peak memory.
#
#   bench/bench-dedup-page.sh [N] [RUNS]   (defaults 100000 and 3; needs _build/)
#
# The app runs in benchmark mode (CAPI_INSPECTOR_BENCH, see
# capi-dedup-page.c) with `--pixel FILE --capi FILE`, as a user would open it.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-100000}
runs=${2:-3}
app=./_build/src/ui/capi-inspector
[ -x "$app" ] || { echo "build first: meson setup _build && meson compile -C _build" >&2; exit 1; }

if [ -z "${CAPI_BENCH_INNER:-}" ]; then
  export CAPI_BENCH_INNER=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$PWD/_build/data" GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/gen_dedup.py "$n" "$work" >/dev/null
size=$(du -cm "$work/pixel.jsonl" "$work/capi.jsonl" | tail -n 1 | cut -f1)
echo "N = $n pixel + $n CAPI events ($size MB)"
results="$work/results"

for i in $(seq 1 "$runs"); do
  out="$work/out-$i"
  data=$(mktemp -d)
  XDG_DATA_HOME="$data" CAPI_INSPECTOR_BENCH=0 CAPI_BENCH_DEDUP_SORT=1 \
    "$app" --pixel "$work/pixel.jsonl" --capi "$work/capi.jsonl" >"$out" 2>/dev/null &
  pid=$!
  # Bounded wait: 10 minutes at most.
  for _ in $(seq 1 6000); do grep -q '^dedup_ready' "$out" && break; sleep 0.1; done
  hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo n/a)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  line="$(awk '$1 ~ /^dedup_/ && $1 != "dedup_ready" { printf "%s=%s ", $1, $2 }' "$out")peak_rss_mb=$hwm"
  echo "run $i: $line"
  echo "$line" >>"$results"
  rm -rf "$data"
done

median () {
  tr ' ' '\n' <"$results" | awk -F= -v k="$1" '$1 == k { print $2 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print "n/a" }'
}
for k in dedup_compare_ms dedup_table_ms dedup_max_stall_reading_ms dedup_max_stall_table_ms \
         dedup_sort_ms dedup_max_stall_sort_ms peak_rss_mb dedup_rows; do
  echo "median $k: $(median $k)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
