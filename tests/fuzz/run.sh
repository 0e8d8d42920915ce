#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang into _build-fuzz/ and runs each
# (or only the TARGETs named, e.g. import-har) for SECONDS (default 20),
# two at a time.
#   tests/fuzz/run.sh [SECONDS [TARGET...]]
# Ends with "N passed, N failed, N skipped" for the fuzz suite; exit 1 when
# a target found something (its input is kept under _build-fuzz/tests/fuzz/work/).
#
# Every target runs with the libFuzzer seed CAPI_FUZZ_SEED (default 1) from
# an empty work corpus (see fuzz-one.sh), so CI's 20 s run is the start of
# any longer run with the same seed; CAPI_FUZZ_SEED=0 asks for a random
# seed, which each target prints, and keeps the work corpus between runs.
#   CAPI_FUZZ_SEED=1 tests/fuzz/run.sh 300 import-har
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-20}
shift $(( $# > 0 ? 1 : 0 ))
targets=()
for t in "$@"; do
  targets+=("fuzz-$t")
done
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

if [ "${CAPI_FUZZ_SEED:-1}" = 0 ]; then
  echo "fuzzing $seconds s per target, random seeds"
else
  echo "fuzzing $seconds s per target, seed ${CAPI_FUZZ_SEED:-1}"
fi
rm -f "$builddir/meson-logs/testlog.json"
meson test -C "$builddir" --suite fuzz --num-processes 2 --print-errorlogs \
  --test-args "$seconds" "${targets[@]}"
status=$?

log="$builddir/meson-logs/testlog.json"
if [ -f "$log" ]; then
  jq -rs '"\(map(select(.result=="OK"))|length) passed, \(map(select(.result=="FAIL" or .result=="TIMEOUT" or .result=="ERROR"))|length) failed, \(map(select(.result=="SKIP"))|length) skipped"' "$log"
else
  echo "0 passed, 1 failed, 0 skipped"
  status=1
fi
exit $status
