#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one libFuzzer target for a while, as a meson test in suite "fuzz".
#   fuzz-one.sh FUZZER NAME SEED_DIR WORK_DIR [SECONDS]
# New corpus entries go to WORK_DIR/corpus-NAME (the seeds in the source
# tree are only read); a finding leaves WORK_DIR/crash-NAME-* and fails.
#
# The run is reproducible: libFuzzer gets -seed=CAPI_FUZZ_SEED (default 1)
# and, with a fixed seed, an empty WORK_DIR/corpus-NAME, as CI has from a
# fresh clone.  Its mutations then depend only on the seed, the seed
# corpus and the code, not on the time given: a long local run with the
# same seed goes through the very inputs CI's 20 s run tried, and then on.
# A fixed-seed run also has address space randomization turned off
# (setarch -R, where the system allows it): libFuzzer's comparison
# tracing adds values it sees compared, pointers included, to its
# dictionary, and with random addresses two runs part after a second.
#   CAPI_FUZZ_SEED=1 tests/fuzz/run.sh 300   # CI's run, 15 times as long
#   CAPI_FUZZ_SEED=0 tests/fuzz/run.sh 300   # a random seed (printed), and
#                                            # the work corpus is kept
set -uo pipefail

fuzzer=$1 name=$2 seeds=$3 work=$4 seconds=${5:-20}
seed=${CAPI_FUZZ_SEED:-1}

case "$seed" in
  '' | *[!0-9]*)
    echo "fuzz-$name: CAPI_FUZZ_SEED must be a number (0 for a random one), not “$seed”" >&2
    exit 1
    ;;
esac

if [ "$seed" -ne 0 ]; then
  rm -rf "$work/corpus-$name"
fi
mkdir -p "$work/corpus-$name"
rm -f "$work/crash-$name-"* "$work/leak-$name-"* "$work/timeout-$name-"* "$work/oom-$name-"*

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export G_SLICE=always-malloc

launch=()
if [ "$seed" -eq 0 ]; then
  # libFuzzer picks one itself for -seed=0 and prints it ("INFO: Seed: N").
  echo "fuzz-$name: random seed; rerun with CAPI_FUZZ_SEED set to the \"INFO: Seed\" below" >&2
else
  if setarch "$(uname -m)" -R true 2>/dev/null; then
    launch=(setarch "$(uname -m)" -R)
  fi
  echo "fuzz-$name: seed $seed (CAPI_FUZZ_SEED), fresh work corpus${launch:+, no ASLR}" >&2
fi

# -max_len keeps inputs small enough to stay fast; -timeout catches
# quadratic blow-ups; -rss_limit_mb catches unbounded memory.  -reload=0:
# no other process writes this corpus, and rereading it on a timer would
# make the run depend on the clock.
"${launch[@]}" "$fuzzer" \
  -seed="$seed" \
  -max_total_time="$seconds" \
  -max_len=65536 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -reload=0 \
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
  # The fast unwinder stops leak stacks at g_malloc (Debian's GLib has no
  # frame pointers): replay each leak with the slow one to show our frames.
  for leak in "$work/crash-$name-leak-"*; do
    [ -f "$leak" ] || continue
    echo "fuzz-$name: $leak again, with full allocation stacks:" >&2
    ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30" \
      "$fuzzer" "$leak" >&2 || true
  done
  echo "fuzz-$name: crash input(s) saved as:" >&2
  ls -1 "$work/crash-$name-"* >&2 2>/dev/null || true
  echo "Copy each into tests/data/fuzz-regressions/$name/ and fix the bug." >&2
  if [ "$seed" -ne 0 ]; then
    echo "The same run again: CAPI_FUZZ_SEED=$seed tests/fuzz/run.sh $seconds" >&2
  else
    echo "The same run again: CAPI_FUZZ_SEED=<the INFO: Seed above> tests/fuzz/run.sh $seconds" >&2
  fi
fi
exit "$status"
