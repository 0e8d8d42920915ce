#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the CLI commands under valgrind memcheck on the fixtures: any memory
# error or definite leak fails the test.  Exit 77 (skip) without valgrind
# or when the CLI is a sanitizer build (valgrind cannot run ASan binaries;
# that build has LeakSanitizer instead).
set -uo pipefail

cli=${CAPI_INSPECTOR_CLI:?CAPI_INSPECTOR_CLI is not set}
src=${G_TEST_SRCDIR:?G_TEST_SRCDIR is not set}

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: skipped"
  exit 77
fi
if ldd "$cli" 2>/dev/null | grep -q -e libasan -e libubsan; then
  echo "sanitizer build: skipped (LeakSanitizer covers this build)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Keep the commands away from the user's real data and keyring.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
unset SNAP_CAPI_TOKEN

have_command ()
{
  "$cli" --help 2>/dev/null | grep -qE "^  $1 "
}

failures=0 runs=0
check ()
{
  local out="$work/vg-$runs.log"
  runs=$((runs + 1))
  valgrind --quiet --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --track-origins=no --num-callers=30 --log-file="$out" \
    "$cli" "$@" >/dev/null 2>&1 </dev/null
  local status=$?
  if [ "$status" -eq 99 ] || [ "$status" -ge 124 ]; then
    echo "not ok: capi-inspector-cli $* (exit $status)"
    cat "$out"
    failures=$((failures + 1))
  else
    echo "ok: capi-inspector-cli $* (exit $status)"
  fi
}

inputs=()
for f in "$src"/fuzz/corpus/event/*; do
  [ -f "$f" ] && inputs+=("$f")
done
# A few of the shared fixtures too (valgrind is slow: not all of them).
n=0
for f in "$src"/data/*.json "$src"/data/*.jsonl; do
  if [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ] && [ "$n" -lt 6 ]; then
    inputs+=("$f")
    n=$((n + 1))
  fi
done
# Bad input takes the error paths, which leak most easily.
printf '' > "$work/empty.json"
printf '{"data": [{"event_name": "PURCHASE", ' > "$work/truncated.json"
printf '\xff\xfe{\x00}\x00' > "$work/utf16.json"
inputs+=("$work/empty.json" "$work/truncated.json" "$work/utf16.json")

check --help
check --version

if have_command preview; then
  for f in "${inputs[@]}"; do
    check preview "$f"
  done
  check preview --help
fi
if have_command lint; then
  for f in "${inputs[@]}"; do
    check lint "$f"
  done
fi
if have_command history; then
  check history --limit 5
fi

echo "$runs runs, $failures with memory errors or definite leaks"
[ "$failures" -eq 0 ]
