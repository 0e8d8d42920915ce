#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Security checks on the real command line, against `serve` on loopback:
#  - a canary token (SNAP_CAPI_TOKEN) never appears on stdout/stderr of any
#    command, nor in any file under the data, config or cache dirs;
#  - raw e-mail, phone and name never reach history or exported reports;
#  - `serve` binds 127.0.0.1 by default, and a non-loopback --host is only
#    taken when given explicitly, with a warning;
#  - a plain-http Snap URL on a non-loopback host is not used (no way to
#    send a token unencrypted or unverified off the machine).
# Prints one "ok"/"not ok" line per check (TAP).
set -uo pipefail

cli=${CAPI_INSPECTOR_CLI:?CAPI_INSPECTOR_CLI is not set}
canary="canary-$(date +%s)-$$-do-not-leak"
email="Zebulon.Quackenbush@Example.COM"
phone="+44 7700 900461"
name="Quackenbush"

work=$(mktemp -d)
server_pid=""
cleanup ()
{
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export HOME="$work/home"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export XDG_STATE_HOME="$work/state"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
export GSETTINGS_BACKEND=memory

n=0 failed=0
check ()
{
  local description=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    failed=$((failed + 1))
  fi
}

no_canary_in () { ! grep -rqa -e "$canary" "$@"; }
no_pii_in () { ! grep -rqai -e "Zebulon" -e "$name" -e "7700 900461" -e "447700900461" "$@"; }

# --- serve: loopback by default --------------------------------------------
"$cli" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/serve.out" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.05
done
check "serve prints its URL" test -n "$url"
check "serve binds 127.0.0.1 by default" test "${url#http://127.0.0.1:}" != "$url"
check "serve warns about nothing on loopback" bash -c "! grep -qi warning '$work/serve.err'"

# --- the commands, with the canary token -----------------------------------
cat >"$work/event.json" <<EOF
{"data": [{"event_name": "PURCHASE", "event_time": $(date +%s), "action_source": "WEB",
  "event_id": "sec-1", "event_source_url": "https://shop.example/thanks",
  "user_data": {"em": ["$email"], "ph": ["$phone"], "fn": ["Zebulon"], "ln": ["$name"],
                "client_ip_address": "203.0.113.9", "client_user_agent": "Mozilla/5.0"},
  "custom_data": {"currency": "EUR", "value": 12.5, "order_id": "sec-1"}}]}
EOF

export SNAP_CAPI_TOKEN=$canary
export CAPI_INSPECTOR_SNAP_BASE_URL=$url CAPI_INSPECTOR_ATS_BASE_URL=$url
pixel=0f6a5a2e-1c7b-4e4b-9f0e-6a7b8c9d0e1f
run ()
{
  # run NAME ARGS...: stdout and stderr kept apart, exit status ignored
  local label=$1
  shift
  "$cli" "$@" >"$work/out-$label.txt" 2>"$work/err-$label.txt" </dev/null
  echo "$?" >"$work/status-$label.txt"
}
run preview preview "$work/event.json"
run lint lint "$work/event.json"
run send send --to sandbox --pixel-id "$pixel" "$work/event.json"
run send-json send --to sandbox --pixel-id "$pixel" --json "$work/event.json"
run send-fail send --to snap-test --pixel-id "$pixel" "$work/event.json"
run logs logs --pixel-id "$pixel"
run stats stats --pixel-id "$pixel"
run history history
run history-json history --json
# History as the CAPI side of a dedup report, in every export format.
history_file=$(find "$XDG_DATA_HOME" -name 'history*.jsonl' | head -n 1)
for format in text json csv markdown; do
  if [ -n "$history_file" ]; then
    run "dedup-$format" dedup --pixel "$work/event.json" --capi "$history_file" --format "$format"
  fi
done

check "send reached the sandbox" test "$(cat "$work/status-send.txt")" = 0
check "history was written" test -n "$history_file"
check "the token is on no command's stdout or stderr" no_canary_in "$work"/out-*.txt "$work"/err-*.txt
check "the token is in no file under the data, config, cache or state dirs" \
  no_canary_in "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$HOME"
check "no raw e-mail, phone or name in history" no_pii_in "$XDG_DATA_HOME"
check "no raw e-mail, phone or name in history output" no_pii_in "$work"/out-history*.txt
check "no raw e-mail, phone or name in exported dedup reports" \
  bash -c "! ls '$work'/out-dedup-*.txt >/dev/null 2>&1 || ! grep -qai -e Zebulon -e '$name' '$work'/out-dedup-*.txt"
check "the server log holds no token" no_canary_in "$work/serve.out" "$work/serve.err"

kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=""

# --- serve: non-loopback only when asked, with a warning ---------------------
"$cli" serve --port 0 --host 0.0.0.0 >"$work/serve2.out" 2>"$work/serve2.err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q 'http://' "$work/serve2.out" && break
  sleep 0.05
done
check "serve --host 0.0.0.0 warns that it is not loopback" grep -qi 'warning' "$work/serve2.err"
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=""

# --- no unencrypted token off the machine -------------------------------------
# Plain http to a host that is not this machine is refused while the URL is
# built, before any connection.  0.0.0.1 is not loopback, and the kernel
# would not send a packet to it even if the check were gone.
CAPI_INSPECTOR_SNAP_BASE_URL=http://0.0.0.1:9 run plain send --to snap-test --pixel-id "$pixel" "$work/event.json"
check "plain http to a non-loopback Snap host is refused as bad input" test "$(cat "$work/status-plain.txt")" = 2
check "with a message asking for https" grep -q 'use https://' "$work/err-plain.txt"
check "and names no token" no_canary_in "$work/out-plain.txt" "$work/err-plain.txt"
CAPI_INSPECTOR_ATS_BASE_URL=http://0.0.0.1:9 run plain-ats send --to ats --ats-config-id cfg "$work/event.json"
check "the same for the ATS adapter" grep -q 'use https://' "$work/err-plain-ats.txt"

echo "1..$n"
[ "$failed" -eq 0 ]
