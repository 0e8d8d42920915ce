#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang into _build-fuzz/ and runs each
# for SECONDS (default 20), two at a time.
#   tests/fuzz/run.sh [SECONDS]
# Ends with "N passed, N failed, N skipped" for the fuzz suite; exit 1 when
# a target found something (its input is kept under _build-fuzz/tests/fuzz/work/).
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-20}
builddir=_build-fuzz

if ! command -v clang >/dev/null; then
  echo "clang is not installed: fuzzing skipped"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi

if [ ! -f "$builddir/build.ninja" ]; then
  # fuzzer-no-link instruments our code for coverage without a main();
  # the fuzz-* executables add -fsanitize=fuzzer themselves.
  CC=clang meson setup "$builddir" \
    -Dfuzzing=true -Dgui=false -Dbenchmarks=false \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link \
    || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
if ! meson compile -C "$builddir"; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

rm -f "$builddir/meson-logs/testlog.json"
meson test -C "$builddir" --suite fuzz --num-processes 2 --print-errorlogs \
  --test-args "$seconds"
status=$?

log="$builddir/meson-logs/testlog.json"
if [ -f "$log" ]; then
  jq -rs '"\(map(select(.result=="OK"))|length) passed, \(map(select(.result=="FAIL" or .result=="TIMEOUT" or .result=="ERROR"))|length) failed, \(map(select(.result=="SKIP"))|length) skipped"' "$log"
else
  echo "0 passed, 1 failed, 0 skipped"
  status=1
fi
exit $status
