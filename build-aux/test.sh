#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds CAPI Inspector and runs every test suite (unit, net, data, ui),
# then runs each fuzz target for 20 s (tests/fuzz/run.sh).
# Ends with one line: "N passed, N failed, N skipped".
#   --sanitize   build with AddressSanitizer + UBSan into _build-sanitize/
set -uo pipefail
cd "$(dirname "$0")/.."

builddir=_build
setup_args=()
sanitize=0
for arg in "$@"; do
  case "$arg" in
    --sanitize)
      sanitize=1
      builddir=_build-sanitize
      setup_args+=(-Db_sanitize=address,undefined -Db_lundef=false)
      ;;
    *)
      echo "usage: $0 [--sanitize]" >&2
      exit 2
      ;;
  esac
done

./build-aux/deps.sh test || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "${setup_args[@]}" || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
if ! meson compile -C "$builddir"; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

if [ "$sanitize" -eq 1 ]; then
  # Debian's GLib has no frame pointers: without the slow unwinder leak
  # reports stop at g_malloc and the suppressions cannot match anything.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30:detect_stack_use_after_return=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  # GLib 2.74's slice allocator keeps its own magazines; plain malloc lets
  # ASan see every block.
  export G_SLICE=always-malloc
fi

# One run for all suites so that one testlog holds every result; the UI
# suite needs a display and a session bus, the rest do not mind having them.
rm -f "$builddir/meson-logs/testlog.json" "$builddir/meson-logs/testlog-ui.json"
if [ "$sanitize" -eq 0 ]; then
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C "$builddir" --print-errorlogs --num-processes 2
  status=$?
else
  # Leak reports need the slow unwinder (see above), which makes GTK tests
  # ten times slower: the UI suite runs in its own pass with address and
  # undefined-behaviour checks but, unless CAPI_SANITIZE_UI_LEAKS=1, without
  # leak detection; every other suite is leak-checked.
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C "$builddir" --print-errorlogs --num-processes 2 --no-suite ui
  status=$?
  if [ "${CAPI_SANITIZE_UI_LEAKS:-0}" = 1 ]; then
    ui_asan=$ASAN_OPTIONS
  else
    ui_asan="detect_leaks=0:abort_on_error=1:fast_unwind_on_malloc=1:detect_stack_use_after_return=0"
  fi
  ASAN_OPTIONS=$ui_asan dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24" \
    meson test -C "$builddir" --print-errorlogs --num-processes 2 --suite ui \
      --logbase testlog-ui --timeout-multiplier 3 || status=1
fi

logs=("$builddir/meson-logs/testlog.json")
if [ -f "$builddir/meson-logs/testlog-ui.json" ]; then
  logs+=("$builddir/meson-logs/testlog-ui.json")
fi
if [ ! -f "${logs[0]}" ]; then
  status=1
fi

# The normal run also fuzzes every target for 20 s in a separate clang
# build (_build-fuzz); its results count in the closing line.
# CAPI_FUZZ_SECONDS=0 leaves fuzzing out (quick local runs).
fuzz_seconds=${CAPI_FUZZ_SECONDS:-20}
if [ "$sanitize" -eq 0 ] && [ "$fuzz_seconds" != 0 ]; then
  ./tests/fuzz/run.sh "$fuzz_seconds" || status=1
  if [ -f _build-fuzz/meson-logs/testlog.json ]; then
    logs+=(_build-fuzz/meson-logs/testlog.json)
  fi
fi

existing=()
for l in "${logs[@]}"; do
  [ -f "$l" ] && existing+=("$l")
done
if [ "${#existing[@]}" -gt 0 ]; then
  summary=$(cat "${existing[@]}" | jq -rs '"\(map(select(.result=="OK" or .result=="EXPECTEDFAIL"))|length) passed, \(map(select(.result=="FAIL" or .result=="TIMEOUT" or .result=="ERROR" or .result=="UNEXPECTEDPASS"))|length) failed, \(map(select(.result=="SKIP"))|length) skipped"')
else
  summary="0 passed, 1 failed, 0 skipped"
  status=1
fi
if [ ! -f "${logs[0]}" ]; then
  # the main run left no log at all: count that as a failure
  summary=$(echo "$summary" | awk '{ print $1, $2, $3 + 1 ",", $5, $6 }')
fi
echo "$summary"
exit $status
