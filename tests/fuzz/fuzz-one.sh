#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one libFuzzer target for a while, as a meson test in suite "fuzz".
#   fuzz-one.sh FUZZER NAME SEED_DIR WORK_DIR [SECONDS]
# New corpus entries go to WORK_DIR/corpus-NAME (the seeds in the source
# tree are only read); a crash leaves WORK_DIR/crash-NAME-* and fails.
set -uo pipefail

fuzzer=$1 name=$2 seeds=$3 work=$4 seconds=${5:-20}

mkdir -p "$work/corpus-$name"
rm -f "$work/crash-$name-"* "$work/leak-$name-"* "$work/timeout-$name-"* "$work/oom-$name-"*

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export G_SLICE=always-malloc

# -max_len keeps inputs small enough to stay fast; -timeout catches
# quadratic blow-ups; -rss_limit_mb catches unbounded memory.
"$fuzzer" \
  -max_total_time="$seconds" \
  -max_len=65536 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -error_exitcode=1 \
  -timeout_exitcode=1 \
  -artifact_prefix="$work/crash-$name-" \
  "$work/corpus-$name" "$seeds"
status=$?
# meson reads 77 as "skipped": never let a finding look like that.
if [ "$status" -ne 0 ]; then
  status=1
fi

if [ "$status" -ne 0 ]; then
  echo "fuzz-$name: crash input(s) saved as:" >&2
  ls -1 "$work/crash-$name-"* >&2 2>/dev/null || true
  echo "Copy each into tests/data/fuzz-regressions/$name/ and fix the bug." >&2
fi
exit "$status"
