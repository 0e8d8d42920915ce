#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Throughput of the local sandbox (`capi-inspector-cli serve`) on loopback.
#
#   1. batches: EVENTS events (default 10,000) from a generated JSON Lines file,
#      a) with `capi-inspector-cli send --to sandbox` when that command exists,
#      b) with bench/capi-bench-load posting BATCH-event v3 bodies (always);
#   2. single events: capi-bench-load keeps CONCURRENCY requests in flight,
#      REQUESTS at most, LIMIT seconds at most.
#
# The server's memory is sampled (VmRSS from /proc) every 0.2 s; its peak
# (VmHWM) is printed at the end.  Everything talks to 127.0.0.1 only, every
# loop is bounded, and the server is stopped with SIGTERM when done.
#
# Usage: bench/bench-throughput.sh [BUILDDIR]      (default: _build)
#   env: EVENTS=10000 BATCH=500 CONCURRENCY=16 REQUESTS=20000 LIMIT=60
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${1:-_build}
cli=$builddir/src/cli/capi-inspector-cli
load=$builddir/bench/capi-bench-load
events=${EVENTS:-10000}
batch=${BATCH:-500}
concurrency=${CONCURRENCY:-16}
requests=${REQUESTS:-20000}
limit=${LIMIT:-60}
pixel=bench-pixel

for exe in "$cli" "$load"; do
  if [ ! -x "$exe" ]; then
    echo "bench-throughput: $exe is missing; run: meson compile -C $builddir" >&2
    exit 2
  fi
done

# No proxy lookups, no GSettings: a plain loopback run.
export GIO_USE_PROXY_RESOLVER=dummy GSETTINGS_BACKEND=memory

tmp=$(mktemp -d)
server_pid=""
sampler_pid=""
cleanup ()
{
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

now_s () { date +%s.%N; }
rss_kb () { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb () { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU time (user + system) a process has used, in clock ticks.
cpu_ticks () { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
tick_hz=$(getconf CLK_TCK)
# "what: N units, server CPU X ms = Y µs per unit (Z units/s on one free core)"
cpu_line ()
{
  awk -v what="$1" -v n="$2" -v unit="$3" -v a="$4" -v b="$5" -v hz="$tick_hz" 'BEGIN {
    ms = (b - a) * 1000 / hz
    if (n > 0 && ms > 0)
      printf "%s server CPU %.0f ms for %d %s = %.0f us each (about %.0f %s/s if it had a core to itself)\n",
             what, ms, n, unit, ms * 1000 / n, n * 1000 / ms, unit
  }'
}

# 1. The events: PAGE_VIEW and ADD_CART a minute old, unique ids, identifiers
# that need no raw personal data (documentation IP range, a user agent, an
# external id that `send` normalizes and hashes).
jsonl=$tmp/events.jsonl
event_time=$(( $(date +%s) - 60 ))
awk -v n="$events" -v t="$event_time" 'BEGIN {
  for (i = 0; i < n; i++) {
    name = (i % 4 == 0) ? "ADD_CART" : "PAGE_VIEW"
    printf "{\"event_name\":\"%s\",\"event_time\":%d,\"action_source\":\"WEB\",", name, t
    printf "\"event_id\":\"bench-%d\",\"event_source_url\":\"https://shop.example.com/p/%d\",", i, i % 97
    printf "\"user_data\":{\"client_ip_address\":\"203.0.113.%d\",", i % 250 + 1
    printf "\"client_user_agent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"external_id\":\"user-%d\"}", i
    if (name == "ADD_CART")
      printf ",\"custom_data\":{\"currency\":\"EUR\",\"value\":%d.50}", i % 50
    printf "}\n"
  }
}' > "$jsonl"

# 2. The server.
"$cli" serve --quiet --port 0 > "$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.out" | head -n 1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "bench-throughput: serve did not start" >&2
  cat "$tmp/serve.err" >&2
  exit 1
fi
rss_start=$(rss_kb "$server_pid")

( while kill -0 "$server_pid" 2>/dev/null; do
    rss=$(rss_kb "$server_pid")
    [ -n "$rss" ] && [ "$rss" -gt 0 ] && echo "$(now_s) $rss"
    sleep 0.2
  done ) > "$tmp/rss.txt" &
sampler_pid=$!

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server:  $url (pid $server_pid), RSS at start ${rss_start} kB"

# 3a. `send` of the JSONL file, when the command exists.
if "$cli" send --help >/dev/null 2>&1; then
  cpu0=$(cpu_ticks "$server_pid")
  start=$(now_s)
  status=0
  CAPI_INSPECTOR_SNAP_BASE_URL=$url SNAP_CAPI_TOKEN=bench-token \
    "$cli" send --to sandbox --pixel-id "$pixel" "$jsonl" > "$tmp/send.out" 2>&1 || status=$?
  end=$(now_s)
  awk -v n="$events" -v a="$start" -v b="$end" -v s="$status" 'BEGIN {
    printf "send:    %d events in %.3f s = %.0f events/s (exit %d)\n", n, b - a, n / (b - a), s }'
  cpu_line "send:   " "$events" events "$cpu0" "$(cpu_ticks "$server_pid")"
  if [ "$status" -ne 0 ]; then
    echo "         send failed; its last lines:"; tail -n 5 "$tmp/send.out" | sed 's/^/         /'
  fi
else
  echo "send:    not available in this build (capi-inspector-cli has no send command)"
fi

# 3b. The same number of events as BATCH-event bodies, 4 in flight.
batches=$(( (events + batch - 1) / batch ))
cpu0=$(cpu_ticks "$server_pid")
result=$("$load" --url "$url" --pixel-id "$pixel" --endpoint validate \
           --concurrency 4 --requests "$batches" --batch "$batch" --seconds "$limit") || true
echo "batches: $result"
cpu_line "batches:" "$(( batches * batch ))" events "$cpu0" "$(cpu_ticks "$server_pid")"
rss_after_batches=$(rss_kb "$server_pid")

# 4. Single events under concurrent load.
phase2_start=$(now_s)
cpu0=$(cpu_ticks "$server_pid")
result=$("$load" --url "$url" --pixel-id "$pixel" --endpoint events \
           --concurrency "$concurrency" --requests "$requests" --batch 1 --seconds "$limit") || true
phase2_end=$(now_s)
echo "single:  $result"
done_requests=$(echo "$result" | sed -n 's/.*"requests": \([0-9]*\).*/\1/p')
cpu_line "single: " "${done_requests:-0}" requests "$cpu0" "$(cpu_ticks "$server_pid")"

rss_end=$(rss_kb "$server_pid")
hwm=$(hwm_kb "$server_pid")
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""

# Memory over the single-event phase: first and last quarter of the samples.
awk -v a="$phase2_start" -v b="$phase2_end" '
  $1 >= a && $1 <= b { r[n + 0] = $2; n++ }
  END {
    if (n < 4) { print "memory:  too few samples"; exit }
    q = int(n / 4); lo = 1e12; hi = 0
    for (i = 0; i < n; i++) { if (r[i] < lo) lo = r[i]; if (r[i] > hi) hi = r[i] }
    for (i = 0; i < q; i++) first += r[i]
    for (i = n - q; i < n; i++) last += r[i]
    printf "memory:  single-event phase RSS min %d kB, max %d kB; mean of first quarter %d kB, last quarter %d kB (%d samples)\n",
           lo, hi, first / q, last / q, n
  }' "$tmp/rss.txt"
echo "memory:  RSS start ${rss_start} kB, after batches ${rss_after_batches} kB, end ${rss_end} kB; peak (VmHWM) ${hwm} kB"

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
echo "server:  $(tail -n 1 "$tmp/serve.out")"
